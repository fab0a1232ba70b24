package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Module log lines: visible at the default level, written before a command goes on, bounded when the drain lags. */
class AsyncLogSinkTest {
    @Test
    void moduleLinesGoToTheSystemLoggerAtInfoVisibleByDefault() throws InterruptedException {
        Logger jul = Logger.getLogger(LogSink.LOGGER);
        List<LogRecord> seen = new CopyOnWriteArrayList<>();
        CountDownLatch arrived = new CountDownLatch(1);
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                seen.add(r);
                arrived.countDown();
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(handler);
        try {
            LogSink.systemLogger().line("brake", "pads at 3 mm");
            assertTrue(arrived.await(5, TimeUnit.SECONDS), "the line reached the logger");
            LogRecord r = seen.get(0);
            assertEquals(Level.INFO, r.getLevel());
            assertTrue(Logger.getLogger("").getLevel().intValue() <= r.getLevel().intValue(),
                    "the default configuration shows INFO");
            assertTrue(java.text.MessageFormat.format(r.getMessage(), r.getParameters()).equals("[brake] pads at 3 mm"));
        } finally {
            jul.removeHandler(handler);
        }
    }

    @Test
    void closeWritesTheLinesStillQueuedThenDropsLaterOnes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AsyncLogSink sink = LogSink.printTo(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        for (int i = 0; i < 100; i++) {
            sink.line("m", "line " + i);
        }
        sink.close();

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(100, out.lines().count(), out);
        assertTrue(out.startsWith("[m] line 0\n") && out.endsWith("[m] line 99\n"), out);
        sink.line("m", "too late");
        assertEquals(1, sink.dropped());
        assertEquals(100, bytes.toString(StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        AsyncLogSink sink = new AsyncLogSink((id, line) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 4);
        for (int i = 0; i < 20; i++) {
            sink.line("m", "line " + i);
        }
        assertTrue(sink.dropped() >= 15, "4 queued and one in the drain at most: dropped " + sink.dropped());
        release.countDown();
        sink.close();
    }
}

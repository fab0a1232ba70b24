package dev.wasmota.ecu.sandbox;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link LogSink} that never blocks the module's worker: lines go into a bounded queue that a
 * daemon thread drains into the real sink. When the queue is full, lines are dropped and counted,
 * so a chatty module can neither stall its own deadline nor exhaust the host's memory.
 */
public final class AsyncLogSink implements LogSink, AutoCloseable {
    /** Lines held at most before new ones are dropped. */
    public static final int DEFAULT_CAPACITY = 4096;
    /** The longest {@link #close} waits for the lines still queued. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    /**
     * The process-wide sink to {@code System.Logger} "dev.wasmota.ecu.module" at INFO (visible under
     * a default logging configuration), created on first use (one drain thread). Each module's lines
     * are bounded before they get here: {@link HostFunctions#LOG_LINES_PER_SECOND} per second,
     * {@link HostFunctions#MAX_LOG_LINE_BYTES} bytes each.
     */
    static final class SystemLogger {
        static final AsyncLogSink SINK = new AsyncLogSink((id, line) -> System.getLogger(LogSink.LOGGER)
                .log(System.Logger.Level.INFO, "[{0}] {1}", id, line));

        private SystemLogger() {
        }
    }

    private record Entry(String moduleId, String line) {
    }

    private final BlockingQueue<Entry> queue;
    private final LongAdder dropped = new LongAdder();
    private final Thread drain;
    private volatile boolean closed;

    public AsyncLogSink(LogSink target) {
        this(target, DEFAULT_CAPACITY);
    }

    public AsyncLogSink(LogSink target, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.drain = new Thread(() -> drain(target), "ecu-module-log");
        drain.setDaemon(true);
        drain.start();
    }

    @Override
    public void line(String moduleId, String line) {
        if (closed || !queue.offer(new Entry(moduleId, line))) {
            dropped.increment();
        }
    }

    /** Lines dropped because the queue was full (or the sink closed). */
    public long dropped() {
        return dropped.sum();
    }

    /**
     * Writes the lines still queued (waiting at most {@link #CLOSE_WAIT}) and stops the drain
     * thread; lines that come later are dropped and counted.
     */
    @Override
    public void close() {
        closed = true;
        long end = System.nanoTime() + CLOSE_WAIT.toNanos();
        while (!queue.isEmpty() && System.nanoTime() < end) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        drain.interrupt();
        try {
            drain.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain(LogSink target) {
        while (true) {
            Entry e;
            try {
                e = queue.take();
            } catch (InterruptedException stop) {
                return;
            }
            try {
                target.line(e.moduleId(), e.line());
            } catch (RuntimeException failed) {
                dropped.increment();
            }
        }
    }
}

package dev.wasmota.ecu.sandbox;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link LogSink} that never blocks the module's worker: lines go into a bounded queue that a
 * daemon thread drains into the real sink. When the queue is full, lines are dropped and counted,
 * so a chatty module can neither stall its own deadline nor exhaust the host's memory.
 */
public final class AsyncLogSink implements LogSink {
    /** Lines held at most before new ones are dropped. */
    public static final int DEFAULT_CAPACITY = 4096;

    /** The process-wide sink to {@code System.Logger}, created on first use (one drain thread). */
    static final class SystemLogger {
        static final AsyncLogSink SINK = new AsyncLogSink((id, line) -> System.getLogger("dev.wasmota.ecu.module")
                .log(System.Logger.Level.DEBUG, "[{0}] {1}", id, line));

        private SystemLogger() {
        }
    }

    private record Entry(String moduleId, String line) {
    }

    private final BlockingQueue<Entry> queue;
    private final LongAdder dropped = new LongAdder();

    public AsyncLogSink(LogSink target) {
        this(target, DEFAULT_CAPACITY);
    }

    public AsyncLogSink(LogSink target, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        Thread drain = new Thread(() -> drain(target), "ecu-module-log");
        drain.setDaemon(true);
        drain.start();
    }

    @Override
    public void line(String moduleId, String line) {
        if (!queue.offer(new Entry(moduleId, line))) {
            dropped.increment();
        }
    }

    /** Lines dropped because the queue was full. */
    public long dropped() {
        return dropped.sum();
    }

    private void drain(LogSink target) {
        while (true) {
            try {
                Entry e = queue.take();
                target.line(e.moduleId(), e.line());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                dropped.increment();
            }
        }
    }
}

package dev.wasmota.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One timer for every guarded stream: it scans them every {@value #SCAN_MILLIS} ms and drops the
 * connections whose packet is overdue, so a reader stalled mid-packet is caught without a thread
 * per socket. The clock is a nanosecond ticker, injected for tests; the shared instance runs on a
 * daemon thread, and drops connections on a separate pool so a slow close never delays the scan.
 */
final class PacketWatchdog {
    static final long SCAN_MILLIS = 200;
    private static PacketWatchdog shared;

    private final LongSupplier ticker;
    private final Executor actions;
    private final Set<GuardedInputStream> streams = ConcurrentHashMap.newKeySet();

    PacketWatchdog(LongSupplier ticker, Executor actions) {
        this.ticker = ticker;
        this.actions = actions;
    }

    /** The process-wide watchdog on {@link System#nanoTime()}, started on first use. */
    static synchronized PacketWatchdog shared() {
        if (shared == null) {
            ExecutorService pool = Executors.newCachedThreadPool(daemon("mqtt-packet-guard-close"));
            PacketWatchdog w = new PacketWatchdog(System::nanoTime, pool);
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("mqtt-packet-guard"));
            timer.scheduleAtFixedRate(w::scan, SCAN_MILLIS, SCAN_MILLIS, TimeUnit.MILLISECONDS);
            shared = w;
        }
        return shared;
    }

    long now() {
        return ticker.getAsLong();
    }

    void register(GuardedInputStream s) {
        streams.add(s);
    }

    void unregister(GuardedInputStream s) {
        streams.remove(s);
    }

    /** How many streams are watched (open connections with a guard). */
    int watched() {
        return streams.size();
    }

    /** Drops every connection whose packet is overdue now. */
    void scan() {
        long now = now();
        for (GuardedInputStream s : streams) {
            if (s.overdue(now)) {
                try {
                    actions.execute(() -> s.breach(now));
                } catch (RuntimeException e) {
                    s.breach(now);
                }
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}

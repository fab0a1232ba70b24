package dev.wasmota.ecu.sandbox;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One timer thread that enforces the deadlines of many sandboxes: it interrupts a worker whose
 * call has run past its budget. It only ever does short, non-blocking work, so one slow module
 * cannot delay the expiry of another's call.
 */
public final class Watchdog implements AutoCloseable {
    private static final class Shared {
        static final Watchdog INSTANCE = new Watchdog("ecu-watchdog");
    }

    private final ScheduledThreadPoolExecutor timer;

    public Watchdog(String threadName) {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** The watchdog shared by every sandbox that is not given its own. */
    public static Watchdog shared() {
        return Shared.INSTANCE;
    }

    /**
     * Puts the watchdog's thread on {@code realtime}'s scheduling (nothing for {@link Realtime#OFF}).
     *
     * @throws dev.wasmota.contract.error.RejectedException {@link HostPolicyFailure#REALTIME_NOT_PERMITTED}
     */
    public void enter(Realtime realtime) {
        if (!realtime.enabled()) {
            return;
        }
        try {
            timer.submit(realtime::enter).get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted putting the watchdog on real-time scheduling", e);
        }
    }

    ScheduledFuture<?> after(long delayNanos, Runnable action) {
        return timer.schedule(action, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

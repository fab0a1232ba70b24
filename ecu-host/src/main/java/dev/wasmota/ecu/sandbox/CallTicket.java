package dev.wasmota.ecu.sandbox;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One call from submission to result. The worker starts and finishes it; the watchdog may expire
 * it in between. Both sides hold the ticket's lock, so the watchdog can only interrupt the worker
 * while this very call runs: a late interrupt never leaks into the next call.
 */
final class CallTicket {
    final String export;
    final long[] args;
    final long deadlineNanos;
    final CompletableFuture<CallResult> result = new CompletableFuture<>();
    ModuleWorker worker;

    private Thread runner;
    private long startNanos;
    private boolean running;
    private boolean expired;
    private ScheduledFuture<?> alarm;
    private boolean reported;

    CallTicket(String export, long[] args, long deadlineNanos) {
        this.export = export;
        this.args = args;
        this.deadlineNanos = deadlineNanos;
    }

    /** Arms the watchdog and marks the call running on the current thread; returns the start time. */
    synchronized long start(Watchdog watchdog, Runnable onExpiry) {
        long now = System.nanoTime();
        alarm = watchdog.after(deadlineNanos, onExpiry);
        runner = Thread.currentThread();
        running = true;
        startNanos = now;
        return now;
    }

    /** Watchdog side: interrupts the runner if this call is still running; true if it did. */
    synchronized boolean expire() {
        if (!running) {
            return false;
        }
        expired = true;
        runner.interrupt();
        return true;
    }

    /** Worker side: the call has returned; true if the watchdog expired it first. */
    synchronized boolean finish() {
        running = false;
        alarm.cancel(false);
        return expired;
    }

    /** True for the first caller only: the one who reports this call's result. */
    synchronized boolean claimReport() {
        boolean first = !reported;
        reported = true;
        return first;
    }

    synchronized boolean running() {
        return running;
    }

    synchronized long startNanos() {
        return startNanos;
    }
}

package dev.wasmota.ecu.sandbox;

import java.util.concurrent.CompletableFuture;

/**
 * One call from submission to result. The worker starts and finishes it; the watchdog may expire
 * it in between. Both sides hold the ticket's lock, so the watchdog can only interrupt the worker
 * while this very call runs: a late interrupt never leaks into the next call. The deadline alarm
 * itself belongs to the worker (see {@link ModuleWorker}).
 */
final class CallTicket {
    final String export;
    final long[] args;
    final long deadlineNanos;
    final CompletableFuture<CallResult> result = new CompletableFuture<>();
    ModuleWorker worker;

    private Thread runner;
    private long startNanos;
    /** startNanos + deadlineNanos; written before the worker publishes the ticket as its current call. */
    private long deadlineAt;
    private boolean running;
    private boolean expired;
    private boolean reported;

    CallTicket(String export, long[] args, long deadlineNanos) {
        this.export = export;
        this.args = args;
        this.deadlineNanos = deadlineNanos;
    }

    /** Marks the call running on the current thread; returns the start time. */
    synchronized long start() {
        long now = System.nanoTime();
        runner = Thread.currentThread();
        running = true;
        startNanos = now;
        deadlineAt = now + deadlineNanos;
        return now;
    }

    /** The {@link System#nanoTime()} at which this call's budget runs out (once started). */
    synchronized long deadlineAt() {
        return deadlineAt;
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

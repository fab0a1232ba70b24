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
    /** The call's budget: of its own CPU time, and (times the sandbox's wall-clock allowance) of wall time. */
    final long deadlineNanos;
    /** How long the call may run by the wall clock before it is stopped: the budget times the allowance. */
    final long wallLimitNanos;
    final CompletableFuture<CallResult> result = new CompletableFuture<>();
    ModuleWorker worker;
    /** Told of the result before the future completes (a periodic tick's listener), or null. */
    java.util.function.Consumer<CallResult> onResult;

    private Thread runner;
    private long startNanos;
    /** startNanos + wallLimitNanos; written before the worker publishes the ticket as its current call. */
    private long deadlineAt;
    private boolean running;
    private boolean expired;
    private boolean reported;

    CallTicket(String export, long[] args, long deadlineNanos, long wallLimitNanos) {
        this.export = export;
        this.args = args;
        this.deadlineNanos = deadlineNanos;
        this.wallLimitNanos = wallLimitNanos;
    }

    /** Marks the call running on the current thread; returns the start time. */
    synchronized long start() {
        long now = System.nanoTime();
        runner = Thread.currentThread();
        running = true;
        startNanos = now;
        deadlineAt = now + wallLimitNanos;
        return now;
    }

    /** The {@link System#nanoTime()} at which this call is stopped by the wall clock (once started). */
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

package dev.wasmota.ecu.sandbox;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One export called several times in a row on the sandbox's worker, as one task: each call is a
 * call of its own (its own budget, deadline, stop, verdict and count), but the caller hands the
 * worker the whole run at once rather than each call, so a vector case repeated a thousand times
 * costs no thread hand-off per call. It stops at the first call that fails, or whose result
 * {@code proceed} refuses (evaluated on the worker, before the next call, so the instance sees
 * exactly the calls it would one by one).
 */
public final class RepeatedCall implements ModuleWorker.Task {
    /** What the calls did: how many ran, the last one's result (the one that stopped the run, if one did), the worst times. */
    public record Outcome(int calls, CallResult last, long worstElapsedNanos, long worstCpuNanos) {
    }

    final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final SandboxedModule owner;
    private final String export;
    private final long[] args;
    private final int times;
    private final Predicate<CallResult> proceed;
    private int calls;
    private CallResult last;
    private long worstElapsed;
    private long worstCpu;
    /** The calls reported so far; read by the waiting caller to see the run progress. */
    private volatile int reported;

    RepeatedCall(SandboxedModule owner, String export, long[] args, int times, Predicate<CallResult> proceed) {
        this.owner = owner;
        this.export = export;
        this.args = args;
        this.times = times;
        this.proceed = proceed;
    }

    @Override
    public void run(ModuleWorker worker) {
        while (!outcome.isDone()) {
            CallTicket t = owner.newTicket(export, args);
            t.worker = worker;
            t.onResult = this::accept;
            worker.run(t);
            if (t.result.isCompletedExceptionally()) {
                t.result.whenComplete((r, e) -> outcome.completeExceptionally(e));
                return;
            }
        }
    }

    /** Each call's result, on the worker (or on the watchdog's thread for a call it abandoned). */
    private synchronized void accept(CallResult r) {
        if (outcome.isDone()) {
            return;
        }
        calls++;
        reported = calls;
        last = r;
        worstElapsed = Math.max(worstElapsed, r.elapsedNanos());
        worstCpu = Math.max(worstCpu, r.cpuNanos());
        if (!r.ok() || calls >= times || !proceed.test(r)) {
            outcome.complete(new Outcome(calls, last, worstElapsed, worstCpu));
        }
    }

    /**
     * Waits for the outcome, as long as the calls keep coming: fails when no call finished within
     * {@code patienceNanos} ({@code what} names the export in the message).
     */
    Outcome await(long patienceNanos, String what) {
        int seen = -1;
        while (true) {
            try {
                return outcome.get(patienceNanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (reported == seen) {
                    throw new IllegalStateException("no result from " + what + ": is the watchdog running?", e);
                }
                seen = reported;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            }
        }
    }

    @Override
    public void fail(Throwable why) {
        outcome.completeExceptionally(why);
    }
}

package dev.wasmota.ecu.sandbox;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The dedicated thread of one sandbox and the instance it confines: every guest call, instance
 * build and memory inspection runs here, one at a time. This is the isolation point: whatever a
 * call throws is caught here, named, and turned into a fault result, and the instance is rebuilt.
 */
final class ModuleWorker {
    private static final System.Logger LOG = System.getLogger(ModuleWorker.class.getName());
    private static final int QUEUE = 16;

    private final SandboxedModule owner;
    private final ThreadPoolExecutor executor;
    private final Map<String, ExportFunction> exports = new HashMap<>();
    private Instance instance;
    private volatile boolean retired;

    ModuleWorker(SandboxedModule owner, String threadName, long stackSize) {
        this.owner = owner;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(null, r, threadName, stackSize);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a call; throws {@link java.util.concurrent.RejectedExecutionException} when full or retired. */
    void submit(CallTicket ticket) {
        ticket.worker = this;
        executor.execute(new Call(ticket));
    }

    /** Runs {@code action} on the worker with the current instance (built if needed). */
    <T> CompletableFuture<T> onWorker(Function<Instance, T> action) {
        CompletableFuture<T> f = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                f.complete(action.apply(instance()));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** Discards the instance and builds a fresh one. */
    CompletableFuture<Void> reset() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        executor.execute(() -> {
            discard();
            try {
                instance();
                f.complete(null);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** Stops taking work and interrupts a running call; returns the calls that never ran. */
    List<CallTicket> retire() {
        retired = true;
        List<CallTicket> unrun = new ArrayList<>();
        for (Runnable r : executor.shutdownNow()) {
            if (r instanceof Call c) {
                unrun.add(c.ticket);
            }
        }
        return unrun;
    }

    boolean awaitStop(long nanos) throws InterruptedException {
        return executor.awaitTermination(nanos, TimeUnit.NANOSECONDS);
    }

    private Instance instance() {
        if (instance == null) {
            instance = owner.newInstance();
            exports.clear();
        }
        return instance;
    }

    private void discard() {
        instance = null;
        exports.clear();
    }

    private void run(CallTicket t) {
        if (retired) {
            t.result.completeExceptionally(new IllegalStateException("module " + owner.id() + " closed"));
            return;
        }
        if (t.result.isDone()) {
            return;
        }
        ExportFunction fn;
        long start;
        try {
            fn = exports.computeIfAbsent(t.export, instance()::export);
            Thread.interrupted();
            start = t.start(owner.watchdog(), () -> expire(t));
        } catch (Throwable e) {
            owner.completed(t, fault(t, e, false, 0));
            return;
        }
        long[] values = null;
        Throwable failure = null;
        try {
            values = fn.apply(t.args);
        } catch (Throwable e) {
            failure = e;
        }
        long elapsed = System.nanoTime() - start;
        boolean expired = t.finish();
        Thread.interrupted();
        CallResult r = failure == null && !expired && elapsed <= t.deadlineNanos
                ? CallResult.ok(t.export, values, elapsed)
                : fault(t, failure, expired, elapsed);
        if (!r.ok()) {
            discard();
        }
        owner.completed(t, r);
        if (!r.ok() && !retired) {
            rebuildQuietly();
        }
    }

    private void expire(CallTicket t) {
        if (t.expire()) {
            owner.watchdog().after(owner.stopGraceNanos(), () -> {
                if (t.running()) {
                    owner.wedged(t);
                }
            });
        }
    }

    private CallResult fault(CallTicket t, Throwable failure, boolean expired, long elapsed) {
        long over = elapsed - t.deadlineNanos;
        if (expired || over > 0) {
            String how = failure == null ? "returned" : "was stopped";
            return CallResult.fault(t.export, FaultKind.DEADLINE_MISS, how + " " + Math.max(0, over) / 1_000
                    + " us past its deadline of " + t.deadlineNanos / 1_000 + " us", elapsed, over);
        }
        FaultKind kind = FaultClassifier.kind(failure, false);
        String detail = retired ? "stopped: sandbox closing" : FaultClassifier.detail(failure);
        if (kind == FaultKind.INTERNAL_ERROR) {
            LOG.log(System.Logger.Level.WARNING,
                    "module " + owner.id() + ": unexpected failure in " + t.export, failure);
        }
        return CallResult.fault(t.export, kind, detail, elapsed, 0);
    }

    private void rebuildQuietly() {
        try {
            instance();
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.WARNING,
                    "module " + owner.id() + ": rebuild failed, retrying on the next call", e);
        }
    }

    /** A queued call, recognisable when the executor hands back work that never ran. */
    private final class Call implements Runnable {
        final CallTicket ticket;

        Call(CallTicket ticket) {
            this.ticket = ticket;
        }

        @Override
        public void run() {
            try {
                ModuleWorker.this.run(ticket);
            } catch (Throwable last) {
                discard();
                ticket.result.completeExceptionally(last);
            }
        }
    }
}

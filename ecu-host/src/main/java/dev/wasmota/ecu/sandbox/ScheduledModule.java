package dev.wasmota.ecu.sandbox;

import dev.wasmota.signing.manifest.EcuAbi;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** One module on the scheduler: its period, its in-flight tick, its statistics, meters and fault window. */
final class ScheduledModule {
    final SandboxedModule module;
    final FaultWindow window;
    private final MeterRegistry registry;
    private final Timer callTimer;
    private final Counter missCounter;
    private final Counter trapCounter;
    private final Counter skippedCounter;
    private final Counter droppedLogCounter;
    private long droppedLogLinesCounted;
    private final Scheduler.ResultListener results;
    private volatile CompletableFuture<CallResult> inFlight = CompletableFuture.completedFuture(null);
    private volatile ScheduledFuture<?> schedule;
    private volatile boolean suspended;
    private long calls;
    private long worstNanos;
    private long misses;
    private long traps;
    private long others;
    private long skipped;

    ScheduledModule(SandboxedModule module, FaultWindow window, MeterRegistry registry,
            Scheduler.ResultListener results) {
        this.module = module;
        this.results = results;
        this.window = window;
        this.registry = registry;
        String id = module.id();
        this.callTimer = Timer.builder("ecu.module.call").tag("module", id)
                .description("wall time of one tick on the module's worker").register(registry);
        this.missCounter = Counter.builder("ecu.module.deadline.misses").tag("module", id).register(registry);
        this.trapCounter = Counter.builder("ecu.module.traps").tag("module", id).register(registry);
        this.skippedCounter = Counter.builder("ecu.module.ticks.skipped").tag("module", id)
                .description("periods skipped because the previous tick had not finished").register(registry);
        this.droppedLogCounter = Counter.builder("ecu.module.log.dropped").tag("module", id)
                .description("ecu.log lines dropped: over the rate limit or out of bounds").register(registry);
    }

    void schedule(ScheduledFuture<?> f) {
        schedule = f;
    }

    void cancel() {
        ScheduledFuture<?> f = schedule;
        if (f != null) {
            f.cancel(false);
        }
    }

    /** Runs on the scheduler thread each period: never blocks, so one module cannot delay another. */
    void tick(java.util.function.BiConsumer<ScheduledModule, CallResult> onTrip) {
        if (suspended) {
            return;
        }
        if (!inFlight.isDone()) {
            synchronized (this) {
                skipped++;
            }
            skippedCounter.increment();
            return;
        }
        try {
            inFlight = module.submit(EcuAbi.TICK).whenComplete((r, e) -> {
                if (r != null && record(r)) {
                    suspended = true;
                    cancel();
                    onTrip.accept(this, r);
                }
            });
        } catch (IllegalStateException closed) {
            suspended = true;
        }
    }

    /** Counts one result; true when it trips the fault window. */
    boolean record(CallResult r) {
        results.result(module.id(), r);
        callTimer.record(r.elapsedNanos(), TimeUnit.NANOSECONDS);
        synchronized (this) {
            long dropped = module.hostFunctions().droppedLogLines();
            if (dropped > droppedLogLinesCounted) {
                droppedLogCounter.increment(dropped - droppedLogLinesCounted);
                droppedLogLinesCounted = dropped;
            }
            calls++;
            worstNanos = Math.max(worstNanos, r.elapsedNanos());
            if (r.ok()) {
                return false;
            }
            switch (r.fault()) {
                case DEADLINE_MISS -> misses++;
                case TRAP -> traps++;
                default -> others++;
            }
        }
        if (r.fault() == FaultKind.DEADLINE_MISS) {
            missCounter.increment();
        } else if (r.fault() == FaultKind.TRAP) {
            trapCounter.increment();
        }
        registry.counter("ecu.module.faults", "module", module.id(), "kind", r.fault().name()).increment();
        return window.record();
    }

    void awaitInFlight(long nanos) {
        try {
            inFlight.get(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception ignored) {
            // the tick's own outcome is already recorded; only waiting matters here
        }
    }

    synchronized ModuleStats stats() {
        return new ModuleStats(module.id(), calls, worstNanos, misses, traps, others, skipped,
                module.hostFunctions().droppedLogLines(), window.tripped());
    }
}

package dev.wasmota.ecu.sandbox;

import dev.wasmota.signing.manifest.EcuAbi;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One module on the scheduler: its period (ticked by the module's own worker, see
 * {@link TickTimer}), its statistics, meters and fault window. Calls the host did not give the CPU
 * ({@link FaultKind#HOST_OVERLOAD}) are counted and metered apart and never reach the window.
 */
final class ScheduledModule implements TickTimer.Listener {
    final SandboxedModule module;
    final FaultWindow window;
    private final MeterRegistry registry;
    private final Timer callTimer;
    private final Counter missCounter;
    private final Counter trapCounter;
    private final Counter skippedCounter;
    private final Counter droppedLogCounter;
    private final Counter overloadCounter;
    private long droppedLogLinesCounted;
    private final Scheduler.ResultListener results;
    private final Scheduler.TickTimings timings;
    private final BiConsumer<ScheduledModule, CallResult> onTrip;
    private volatile boolean suspended;
    private long calls;
    private long worstNanos;
    private long misses;
    private long traps;
    private long others;
    private long skipped;
    private long hostOverloads;

    ScheduledModule(SandboxedModule module, FaultWindow window, MeterRegistry registry,
            Scheduler.ResultListener results, Scheduler.TickTimings timings,
            BiConsumer<ScheduledModule, CallResult> onTrip) {
        this.module = module;
        this.results = results;
        this.timings = timings;
        this.onTrip = onTrip;
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
        this.overloadCounter = Counter.builder("ecu.module.host.overload").tag("module", id)
                .description("ticks stopped or late because the host did not give them the CPU (not the module's fault)")
                .register(registry);
    }

    /** Starts the module's own periodic tick, unless it is suspended or closed. */
    void start() {
        if (suspended) {
            return;
        }
        try {
            module.startTicking(module.limits().period().toNanos(), this);
        } catch (IllegalStateException closed) {
            suspended = true;
        }
    }

    void cancel() {
        module.stopTicking();
    }

    @Override
    public void result(CallResult r) {
        if (record(r)) {
            suspended = true;
            cancel();
            onTrip.accept(this, r);
        }
    }

    @Override
    public void skipped(long periods) {
        synchronized (this) {
            skipped += periods;
        }
        skippedCounter.increment(periods);
    }

    @Override
    public void timed(long dueNanos, long wokeNanos, long doneNanos) {
        timings.timed(module.id(), dueNanos, wokeNanos, doneNanos);
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
            if (!r.fault().blamesModule()) {
                hostOverloads++;
            }
            switch (r.fault()) {
                case HOST_OVERLOAD -> { }
                case DEADLINE_MISS -> misses++;
                case TRAP -> traps++;
                default -> others++;
            }
        }
        if (!r.fault().blamesModule()) {
            overloadCounter.increment();
            return false;
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
        module.awaitTick(nanos);
    }

    synchronized ModuleStats stats() {
        return new ModuleStats(module.id(), calls, worstNanos, misses, traps, others, skipped,
                module.hostFunctions().droppedLogLines(), window.tripped(), hostOverloads);
    }
}

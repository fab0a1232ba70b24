package dev.wasmota.ecu;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.ecu.sandbox.CallResult;
import dev.wasmota.ecu.sandbox.ModuleLimits;
import dev.wasmota.ecu.sandbox.ModuleStats;
import dev.wasmota.ecu.sandbox.ColdStart;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.ecu.sandbox.Scheduler;
import dev.wasmota.ecu.sandbox.Watchdog;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.ecu.slots.SlotFailure;
import dev.wasmota.ecu.slots.SlotMetadata;
import dev.wasmota.ecu.slots.SlotStore;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageVerifier;
import dev.wasmota.signing.pkg.VerifiedPackage;
import io.micrometer.core.instrument.Counter;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The running side of the host: every active module in its sandbox on the scheduler, and the
 * automatic rollback when a module's fault window trips. At start each module loads on its own
 * thread ({@link ModuleLoaders}) and ticks as soon as it is ready, whatever the others do.
 */
final class HostRuntime implements AutoCloseable {
    private final HostConfig config;
    private final SlotStore slots;
    private final HostAudit audit;
    private final Scheduler scheduler;
    private final Map<String, SandboxedModule> running = new LinkedHashMap<>();
    private final Map<String, Long> rollbacks = new LinkedHashMap<>();
    /** What modules taken off the scheduler (stopped, rolled back, replaced) did before, per module id. */
    private final Map<String, ModuleStats> retired = new LinkedHashMap<>();
    private final PrintStream events;
    private final CompiledClasses classes;
    private final ModuleLoaders loaders = new ModuleLoaders();
    /** Per module id, bumped whenever another sandbox takes its place: a start load that finds it changed is stale. */
    private final Map<String, Long> generations = new HashMap<>();
    private volatile boolean closed;
    private final Runnable started;
    /** Shadows by module id, told of each active tick on the active's worker thread. */
    private final Map<String, ShadowRun> shadows = new java.util.concurrent.ConcurrentHashMap<>();
    /** Call times of each running sandbox since its activation, by module id. */
    private final Map<String, HealthMeter> meters = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code started} runs (on the loading thread, outside this runtime's lock) each time a start load begins to tick. */
    HostRuntime(HostConfig config, SlotStore slots, HostAudit audit, PrintStream events, Runnable started) {
        this.started = started;
        this.config = config;
        this.slots = slots;
        this.audit = audit;
        this.events = events;
        this.classes = new CompiledClasses(config, slots, audit);
        Watchdog.shared().enter(config.realtime());
        this.scheduler = Scheduler.builder().meterRegistry(config.meters()).faultWindows(config::newFaultWindow)
                .onTrip(this::tripped).onResult(this::ticked).build();
    }

    /**
     * Starts each of {@code moduleIds} from its active slot, each loading on its own thread; returns
     * at once. One that cannot start is logged and left out; the output says when each started, or why not.
     */
    synchronized void start(java.util.List<String> moduleIds) {
        scheduler.start();
        for (String id : moduleIds) {
            long generation = generation(id);
            loaders.start(id, () -> loadOrLog(id), sandbox -> {
                if (arrived(id, generation, sandbox)) {
                    started.run();
                }
            });
        }
    }

    /** Waits (outside this runtime's lock, which the loads need) until every start load has ended; false on timeout. */
    boolean awaitStarted(Duration timeout) throws InterruptedException {
        return loaders.await(timeout.toNanos());
    }

    /** A start load is done: it runs (true) unless the host closed or another sandbox took its place meanwhile. */
    private synchronized boolean arrived(String id, long generation, SandboxedModule sandbox) {
        if (closed || generation != generation(id)) {
            sandbox.close();
            return false;
        }
        add(sandbox);
        return true;
    }

    private long generation(String id) {
        return generations.getOrDefault(id, 0L);
    }

    private void supersede(String id) {
        generations.merge(id, 1L, Long::sum);
    }

    /**
     * Runs the module's active slot in place of what runs now, after its slots were switched by
     * hand; if that slot cannot run, the module stops rather than run a version no longer active.
     */
    synchronized void reload(String id) {
        endShadow(id, "the active version was switched by hand");
        supersede(id);
        Optional<SandboxedModule> fresh = loadOrLog(id);
        if (fresh.isPresent()) {
            activate(fresh.get());
            return;
        }
        SandboxedModule old = running.remove(id);
        if (old != null) {
            retire(id);
            old.close();
        }
    }

    /** Takes over a sandbox that passed its health check (a fresh install while running). */
    synchronized void activate(SandboxedModule sandbox) {
        endShadow(sandbox.id(), "another version was installed");
        supersede(sandbox.id());
        SandboxedModule old = running.remove(sandbox.id());
        if (old != null) {
            retire(sandbox.id());
            old.close();
        }
        add(sandbox);
    }

    /** Stops ticking and waits for the ticks in flight, so the statistics read next are final. */
    synchronized void halt() {
        scheduler.stop();
    }

    /** Per module: what every instance it ran as did since start, the current one included. */
    synchronized Map<String, ModuleStats> stats() {
        Map<String, ModuleStats> out = new LinkedHashMap<>(retired);
        scheduler.stats().forEach((id, s) -> out.merge(id, s, HostRuntime::combine));
        return out;
    }

    private void retire(String id) {
        ModuleStats last = scheduler.remove(id);
        if (last != null) {
            retired.merge(id, last, HostRuntime::combine);
        }
    }

    private static ModuleStats combine(ModuleStats a, ModuleStats b) {
        return new ModuleStats(a.module(), a.calls() + b.calls(), Math.max(a.worstCallNanos(), b.worstCallNanos()),
                a.deadlineMisses() + b.deadlineMisses(), a.traps() + b.traps(), a.otherFaults() + b.otherFaults(),
                a.skippedTicks() + b.skippedTicks(), a.droppedLogLines() + b.droppedLogLines(), a.tripped() || b.tripped(),
                a.hostOverloads() + b.hostOverloads());
    }

    synchronized Map<String, Long> rollbacks() {
        return Map.copyOf(rollbacks);
    }

    /**
     * The active slot's module, re-verified as of its install time (signatures and chains; a
     * certificate that expired or was revoked since does not stop a vehicle: revocation refuses
     * new installs, what was installed before keeps running), from its kept compiled classes when
     * they are what the OEM stated, else compiled ({@link CompiledClasses}), and health-checked.
     */
    private Loaded load(String id) {
        ModuleState state = slots.state(id).orElseThrow(() -> new RejectedException(SlotFailure.NOT_INSTALLED,
                "module " + id + " has no committed slot"));
        SlotMetadata meta = state.activeMetadata();
        byte[] bytes = slots.read(id, state.active());
        VerifiedPackage verified = new PackageVerifier(config.trust().anchorsOnly(),
                Clock.fixed(meta.installedAt(), ZoneOffset.UTC)).verify(PackageFile.fromBytes(bytes));
        Manifest m = verified.manifest();
        CompiledClasses.Compiled compiled = classes.forStart(state.active(), verified);
        ExportContract.check(m, compiled.module());
        SandboxedModule sandbox = SandboxedModule.builder(compiled.module()).id(id)
                .limits(ModuleLimits.of(m, config.hostMemoryPages(), config.resourceCeilings()))
                .environment(config.environment()).coldStart(ColdStart.VEHICLE).realtime(config.realtime()).build();
        CallResult init;
        try {
            init = sandbox.init();
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
        if (!init.ok()) {
            sandbox.close();
            throw new RejectedException(init.fault(), "health check of " + id + " " + m.version() + " failed: " + init.detail());
        }
        audit.append(AuditRecord.builder(AuditEvent.ACTIVATED).moduleId(id).toVersion(m.version())
                .toWasmSha256(m.wasmSha256()).securityVersion(m.securityVersion()).actor(HostAudit.ACTOR)
                .outcome(Outcome.SUCCESS).detail("slot " + state.active() + "; " + compiled.how()));
        return new Loaded(sandbox, m.version() + ": " + compiled.how());
    }

    /** A loaded, healthy sandbox and what its load did, for the output. */
    private record Loaded(SandboxedModule sandbox, String description) {
    }

    private Optional<SandboxedModule> loadOrLog(String id) {
        long start = System.nanoTime();
        try {
            Loaded loaded = load(id);
            events.printf("module %s started in %d ms, %s%n", id, (System.nanoTime() - start) / 1_000_000,
                    loaded.description());
            return Optional.of(loaded.sandbox());
        } catch (RejectedException | java.io.UncheckedIOException failure) {
            if (closed) {
                return Optional.empty(); // cut short by the host stopping (close() says so), not refused
            }
            RejectedException e = failure instanceof RejectedException r ? r
                    : new RejectedException(SlotFailure.STATE_UNREADABLE, failure.getMessage(), failure);
            events.println("module " + id + " not started: " + e.userMessage());
            audit.append(AuditRecord.builder(AuditEvent.ACTIVATED).moduleId(id).actor(HostAudit.ACTOR)
                    .outcome(Outcome.FAILURE).cause(e.reason().name()).detail(e.getMessage()));
            return Optional.empty();
        }
    }

    private void add(SandboxedModule sandbox) {
        meters.put(sandbox.id(), new HealthMeter(sandbox));
        running.put(sandbox.id(), sandbox);
        scheduler.add(sandbox);
    }

    /** The fault window of {@code id} tripped: roll back to the previous slot by ourselves, and log why. */
    private synchronized void tripped(String id, ModuleStats stats, CallResult lastFault) {
        endShadow(id, "the active version's fault window tripped");
        supersede(id);
        String why = stats.faults() + " faults (" + stats.deadlineMisses() + " deadline misses, " + stats.traps()
                + " traps, " + stats.otherFaults() + " other) within " + config.faultWindow() + "; last: " + lastFault.fault()
                + " " + lastFault.detail();
        audit.append(AuditRecord.builder(AuditEvent.FAULT_WINDOW_TRIPPED).moduleId(id).actor(HostAudit.ACTOR)
                .outcome(Outcome.SUCCESS).cause(lastFault.fault().name()).detail(why));
        SandboxedModule faulty = running.remove(id);
        retire(id);
        if (faulty != null) {
            faulty.close();
        }
        ModuleState before = slots.state(id).orElseThrow();
        try {
            ModuleState after = slots.rollback(id);
            Counter.builder("ecu.module.rollbacks").tag("module", id).register(config.meters()).increment();
            rollbacks.merge(id, 1L, Long::sum);
            audit.append(AuditRecord.builder(AuditEvent.ROLLBACK).moduleId(id).actor(HostAudit.ACTOR)
                    .fromVersion(before.activeMetadata().version()).fromWasmSha256(before.activeMetadata().wasmSha256())
                    .toVersion(after.activeMetadata().version()).toWasmSha256(after.activeMetadata().wasmSha256())
                    .securityVersion(after.activeMetadata().securityVersion())
                    .outcome(Outcome.SUCCESS).cause("FAULT_WINDOW").detail("automatic rollback: " + why));
            events.printf("%s: rolled back %s -> %s by itself (%s)%n", id, before.activeMetadata().version(),
                    after.activeMetadata().version(), why);
        } catch (RejectedException e) {
            audit.append(AuditRecord.builder(AuditEvent.ROLLBACK).moduleId(id).actor(HostAudit.ACTOR)
                    .fromVersion(before.activeMetadata().version()).outcome(Outcome.FAILURE).cause(e.reason().name())
                    .detail("automatic rollback impossible, module stopped: " + e.getMessage()));
            events.printf("%s: stopped; cannot roll back: %s%n", id, e.getMessage());
            return;
        }
        loadOrLog(id).ifPresent(this::add);
    }

    private void ticked(String id, CallResult result) {
        HealthMeter meter = meters.get(id);
        if (meter != null) {
            meter.record(result);
        }
        ShadowRun s = shadows.get(id);
        if (s != null) {
            s.activeTicked(result);
        }
    }

    /** Runs {@code run} beside its active module from the next tick on; false if one is there already. */
    synchronized boolean addShadow(ShadowRun run) {
        if (closed || running.get(run.moduleId) != run.active() || shadows.putIfAbsent(run.moduleId, run) != null) {
            return false;
        }
        run.attach();
        return true;
    }

    /** Takes the module's shadow out of the run (the caller ends it); empty if none. */
    Optional<ShadowRun> removeShadow(String id) {
        return Optional.ofNullable(shadows.remove(id));
    }

    Optional<ShadowRun> shadow(String id) {
        return Optional.ofNullable(shadows.get(id));
    }

    /** Shadows running now. */
    java.util.Collection<ShadowRun> shadows() {
        return java.util.List.copyOf(shadows.values());
    }

    /** Running sandboxes now, the shadows left out. */
    synchronized java.util.List<SandboxedModule> runningModules() {
        return java.util.List.copyOf(running.values());
    }

    /** Discards the module's shadow because its active version is going away. */
    private void endShadow(String id, String why) {
        ShadowRun s = shadows.remove(id);
        if (s != null) {
            s.end(ShadowReport.State.DISCARDED, why);
            shadowEnded.accept(s);
        }
    }

    /** Told when a shadow was discarded because its active version went away (audit). */
    private volatile java.util.function.Consumer<ShadowRun> shadowEnded = s -> { };

    void onShadowEnded(java.util.function.Consumer<ShadowRun> listener) {
        this.shadowEnded = listener;
    }

    /**
     * What the module's running sandbox did since its activation; {@code version} is its active
     * version, {@code shadowAgreementPpm} the last shadow run's agreement (-1: none).
     */
    Optional<dev.wasmota.contract.stats.ModuleHealth> health(String id, String version, long shadowAgreementPpm) {
        HealthMeter meter;
        ModuleStats stats;
        synchronized (this) {
            meter = meters.get(id);
            SandboxedModule current = running.get(id);
            if (meter == null || current == null || meter.sandbox() != current) {
                return Optional.empty();
            }
            stats = scheduler.stats().getOrDefault(id, ModuleStats.none(id));
        }
        return Optional.of(meter.read(version, stats, shadowAgreementPpm)); // samples memory on the worker: outside the lock
    }

    Optional<SandboxedModule> module(String id) {
        synchronized (this) {
            return Optional.ofNullable(running.get(id));
        }
    }

    /** Stops every module; start loads still running are interrupted and waited for (at most 3 s), outside the lock they need. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (String id : loaders.close(3_000)) {
            events.println("module " + id + " not started: still loading when the host stopped");
        }
        synchronized (this) {
            for (String id : java.util.List.copyOf(shadows.keySet())) {
                endShadow(id, "the host stopped");
            }
            scheduler.close();
            running.values().forEach(SandboxedModule::close);
            running.clear();
        }
    }
}

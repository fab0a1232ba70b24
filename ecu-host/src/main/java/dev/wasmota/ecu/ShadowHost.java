package dev.wasmota.ecu;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.ecu.safety.SafeExecution;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The host's shadows: starts one beside a running module when the host can afford it, and carries
 * out what its rule (or an operator) decides: promotion through the normal install path (verify,
 * stage, atomic commit, logged, as {@link EcuHost#install}) or discarding it, the active version
 * running throughout. Decisions are carried out on a thread of their own, never a module's.
 *
 * <p>A promotion activates the new version, so it respects the vehicle's safe-execution
 * preconditions ({@link SafeExecution}, when its state directory configures them, issue 17) as an
 * install does: a rule's promotion while they do not hold is postponed (one
 * {@link AuditEvent#INSTALL_POSTPONED} record with each signal's state), the shadow kept, and
 * tried again every {@link #safetyRetry} until they hold (or an operator discards it); an
 * operator's promotion meanwhile is refused ({@link ShadowFailure#PRECONDITIONS_NOT_MET}).
 */
final class ShadowHost implements AutoCloseable {
    /** Who the audit names for a decision the shadow's rule made. */
    static final String RULE = "shadow-rule";

    private final EcuHost host;
    private final Installer installer;
    private final HostAudit audit;
    private final PrintStream events;
    private final Supplier<HostRuntime> runtime;
    private final Map<String, ShadowReport> ended = new ConcurrentHashMap<>();
    /** Promotions waiting for the safe-execution preconditions, by module. */
    private final Map<String, ShadowRun> postponed = new ConcurrentHashMap<>();
    private volatile java.time.Duration safetyRetry = java.time.Duration.ofMillis(500);
    private final java.util.concurrent.ScheduledExecutorService decisions = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ecu-shadow-decisions");
        t.setDaemon(true);
        return t;
    });
    private volatile ShadowBudget budget = ShadowBudget.DEFAULT;
    private final ShadowMarkers markers;
    /** Set while the host closes: its shadows end with it, and are concluded (and reported) when it opens again. */
    private volatile boolean closing;
    /** Signed instructions of the shadows a restart ended, by module id, until the routes take them to answer. */
    private final Map<String, byte[]> restarted = new ConcurrentHashMap<>();

    ShadowHost(EcuHost host, Installer installer, HostAudit audit, PrintStream events, Supplier<HostRuntime> runtime) {
        this.host = host;
        this.installer = installer;
        this.audit = audit;
        this.events = events;
        this.runtime = runtime;
        this.markers = new ShadowMarkers(host.config().stateDir());
    }

    /** How often a postponed promotion checks the preconditions again. */
    void safetyRetry(java.time.Duration value) {
        this.safetyRetry = java.util.Objects.requireNonNull(value, "safetyRetry");
    }

    void budget(ShadowBudget value) {
        this.budget = java.util.Objects.requireNonNull(value, "budget");
    }

    /** Called with the host's lock held. */
    ShadowReport start(byte[] packageBytes, InstallContext ctx, ShadowSpec spec) {
        HostRuntime rt = runtime.get();
        if (rt == null) {
            throw refused(ctx, new RejectedException(ShadowFailure.HOST_NOT_RUNNING,
                    "a shadow runs beside a running module; this host is not running"));
        }
        Optional<Installer.Plan> plan = Optional.empty();
        try {
            plan = Optional.of(installer.check(packageBytes));
        } catch (RejectedException e) {
            // prepareShadow refuses it again, logged
        }
        plan.ifPresent(p -> requireAffordable(rt, p, ctx));
        ShadowInputs inputs = new ShadowInputs();
        Installer.Shadow prepared = installer.prepareShadow(packageBytes, ctx,
                inputs.environment(host.config().environment().log()));
        String id = prepared.manifest().moduleId();
        Optional<SandboxedModule> active = rt.module(id);
        RejectedException refusal = null;
        if (active.isEmpty()) {
            refusal = new RejectedException(ShadowFailure.NO_ACTIVE_MODULE, "module " + id + " is not running: a"
                    + " shadow runs beside its active version");
        } else if (rt.shadow(id).isPresent()) {
            refusal = new RejectedException(ShadowFailure.SHADOW_ALREADY_RUNNING, "module " + id + " already has a shadow ("
                    + rt.shadow(id).get().shadowVersion + "); promote or discard it first");
        }
        ShadowRun run = null;
        if (refusal == null) {
            run = new ShadowRun(id, prepared.activeVersion(), prepared.manifest().version(), packageBytes, ctx,
                    active.get(), prepared.sandbox(), inputs, spec, (r, d) -> decisions.execute(() -> concludeSafely(r, d)));
            if (!rt.addShadow(run)) {
                refusal = new RejectedException(ShadowFailure.SHADOW_ALREADY_RUNNING, "module " + id
                        + " changed or got a shadow while this one was prepared");
            }
        }
        if (refusal != null) {
            prepared.sandbox().close();
            audit.refused(prepared.manifest(), ctx, refusal);
            throw refusal;
        }
        ended.remove(id);
        restarted.remove(id);
        try {
            markers.started(run);
        } catch (java.io.UncheckedIOException e) {
            events.println(id + ": the shadow runs, but a restart will not be reported for it: " + e.getMessage());
        }
        audit.append(AuditRecord.builder(AuditEvent.SHADOW_STARTED).moduleId(id).actor(ctx.actor())
                .fromVersion(prepared.activeVersion()).toVersion(prepared.manifest().version())
                .toWasmSha256(prepared.manifest().wasmSha256()).securityVersion(prepared.manifest().securityVersion())
                .outcome(Outcome.SUCCESS).detail("beside " + prepared.activeVersion() + " on its inputs, writes captured;"
                        + " tolerance " + spec.tolerance() + "; rule " + spec.rule()));
        events.printf("%s: %s runs as a shadow beside %s (%s)%n", id, prepared.manifest().version(),
                prepared.activeVersion(), spec.rule());
        return run.report();
    }

    /** Refuses a shadow the host's memory or CPU budget cannot take beside every module and shadow running. */
    private void requireAffordable(HostRuntime rt, Installer.Plan plan, InstallContext ctx) {
        long pages = 0;
        double cpu = 0;
        long activePeriodMillis = plan.limits().periodMillis();
        for (SandboxedModule m : rt.runningModules()) {
            pages += m.limits().memoryPages();
            cpu += share(m.limits().deadlineMicros(), m.limits().periodMillis());
            if (m.id().equals(plan.manifest().moduleId())) {
                activePeriodMillis = m.limits().periodMillis();
            }
        }
        for (ShadowRun s : rt.shadows()) {
            pages += s.shadow().limits().memoryPages();
            cpu += share(s.shadow().limits().deadlineMicros(), s.active().limits().periodMillis());
        }
        long wantPages = plan.limits().memoryPages();
        double wantCpu = share(plan.limits().deadlineMicros(), activePeriodMillis);
        ShadowBudget b = budget;
        String problem = null;
        if (pages + wantPages > b.memoryPages()) {
            problem = "memory: " + pages + " pages in use + " + wantPages + " for the shadow > the host's " + b.memoryPages();
        } else if (cpu + wantCpu > b.cpuShare() + 1e-9) {
            problem = String.format(Locale.ROOT, "CPU: deadlines over periods sum to %.3f cores + %.3f for the shadow"
                    + " > the host's %.3f", cpu, wantCpu, b.cpuShare());
        }
        if (problem != null) {
            throw refused(plan.manifest(), ctx, new RejectedException(ShadowFailure.SHADOW_UNAFFORDABLE,
                    "this host cannot afford " + plan.manifest().moduleId() + " " + plan.manifest().version()
                            + " as a shadow: " + problem));
        }
    }

    private static double share(long deadlineMicros, long periodMillis) {
        return deadlineMicros / (periodMillis * 1000.0);
    }

    /** The running shadow's report, else the last one that ended since the host opened. */
    Optional<ShadowReport> report(String moduleId) {
        HostRuntime rt = runtime.get();
        Optional<ShadowRun> running = rt == null ? Optional.empty() : rt.shadow(moduleId);
        return running.map(ShadowRun::report).or(() -> Optional.ofNullable(ended.get(moduleId)));
    }

    /** An operator's promotion or discard, carried out now. */
    ShadowReport decide(String moduleId, ShadowRun.Decision decision, String actor, String why) {
        HostRuntime rt = runtime.get();
        ShadowRun run = rt == null ? null : rt.shadow(moduleId).orElse(null);
        if (run != null && decision == ShadowRun.Decision.PROMOTE) {
            SafeExecution.Verdict v = safety();
            if (!v.met()) {
                throw new RejectedException(ShadowFailure.PRECONDITIONS_NOT_MET, "module " + moduleId + "'s shadow is not"
                        + " promoted: " + v.reason() + "; try again when they hold");
            }
        }
        boolean waiting = run != null && postponed.remove(moduleId, run);
        if (run == null || !(waiting || run.claim(why))) {
            throw new RejectedException(ShadowFailure.NO_SHADOW, "module " + moduleId + " has no shadow running"
                    + report(moduleId).map(r -> " (the last one was " + r.state() + ": " + r.reason() + ")").orElse(""));
        }
        ShadowReport r = conclude(run, decision, actor);
        markerEnded(run.moduleId, r);
        return r;
    }

    /** Deletes the module's shadow marker once its shadow ended and no other one runs. */
    private void markerEnded(String moduleId, ShadowReport r) {
        HostRuntime rt = runtime.get();
        if (closing || r.state() == ShadowReport.State.RUNNING || rt != null && rt.shadow(moduleId).isPresent()) {
            return;
        }
        try {
            markers.ended(moduleId);
        } catch (java.io.UncheckedIOException e) {
            events.println(moduleId + ": " + e.getMessage());
        }
    }

    /** The host is closing: shadows that end now are concluded when it opens again (see {@link #restarted}). */
    void closing() {
        closing = true;
    }

    /**
     * On opening: each shadow the host ran when it last stopped (a restart, clean or a power loss)
     * is concluded as discarded, not resumed: its comparisons were of one run, on inputs and call
     * times the restart cut off, and the active version ran throughout. Logged ({@code
     * SHADOW_DISCARDED}, cause {@code RESTARTED}); its instruction is recorded as carried out (a
     * replay cannot start it again) and kept for the routes to answer ({@link #takeRestarted}).
     */
    void concludeRestarted(dev.wasmota.signing.pki.TrustStore trust) {
        for (Optional<ShadowMarkers.Marker> left : markers.left()) {
            if (left.isEmpty()) {
                audit.append(AuditRecord.builder(AuditEvent.SHADOW_DISCARDED).actor(HostAudit.ACTOR)
                        .outcome(Outcome.FAILURE).cause("RESTARTED")
                        .detail("a shadow record left by the last run is damaged; the shadow it named ended with that run"));
                continue;
            }
            ShadowMarkers.Marker m = left.get();
            ShadowSpec spec;
            try {
                spec = dev.wasmota.signing.instruction.SignedInstruction.open(m.instruction(), trust, host.config().clock())
                        .shadow().map(ShadowSpec::of).orElseThrow(() -> new RejectedException(ShadowFailure.NO_SHADOW,
                                "its instruction asks for no shadow"));
            } catch (RejectedException e) {
                audit.append(AuditRecord.builder(AuditEvent.SHADOW_DISCARDED).moduleId(m.moduleId()).actor(HostAudit.ACTOR)
                        .fromVersion(m.activeVersion()).toVersion(m.shadowVersion()).outcome(Outcome.FAILURE)
                        .cause("RESTARTED").detail("ended by the restart; its instruction no longer verifies: "
                                + e.getMessage()));
                continue;
            }
            String why = "the vehicle restarted while it ran beside " + m.activeVersion() + "; a shadow is not resumed"
                    + " after a restart (its comparisons were of that run), the active version ran on";
            ShadowReport report = new ShadowReport(m.moduleId(), m.activeVersion(), m.shadowVersion(),
                    ShadowReport.State.DISCARDED, 0, 0, 0, 0, 0, 0, 0, java.util.List.of(), ShadowReport.CallTimes.NONE,
                    ShadowReport.CallTimes.NONE, why, spec);
            installer.shadowEnded(InstallContext.instructed(m.instruction(), HostAudit.ACTOR));
            ended.put(m.moduleId(), report);
            restarted.put(m.moduleId(), m.instruction());
            audit.append(AuditRecord.builder(AuditEvent.SHADOW_DISCARDED).moduleId(m.moduleId()).actor(HostAudit.ACTOR)
                    .fromVersion(m.activeVersion()).toVersion(m.shadowVersion()).outcome(Outcome.FAILURE)
                    .cause("RESTARTED").detail(report.summary()));
            events.printf("%s: shadow %s discarded: %s%n", m.moduleId(), m.shadowVersion(), why);
        }
        markers.clear();
    }

    /** The instructions of the shadows a restart ended, by module id, handed over once (to be answered). */
    Map<String, byte[]> takeRestarted() {
        Map<String, byte[]> out = new java.util.TreeMap<>();
        for (String id : java.util.List.copyOf(restarted.keySet())) {
            byte[] file = restarted.remove(id);
            if (file != null) {
                out.put(id, file);
            }
        }
        return out;
    }

    private void concludeSafely(ShadowRun run, ShadowRun.Decision decision) {
        try {
            if (decision == ShadowRun.Decision.PROMOTE && postponedFor(run)) {
                return;
            }
            markerEnded(run.moduleId, conclude(run, decision, RULE));
        } catch (RuntimeException e) {
            events.println(run.moduleId + ": shadow decision failed: " + e.getMessage());
        }
    }

    /** Promotes or discards {@code run}, claimed already; takes the host's lock (installs need it). */
    private ShadowReport conclude(ShadowRun run, ShadowRun.Decision decision, String actor) {
        synchronized (host) {
            HostRuntime rt = runtime.get();
            if (rt == null || rt.shadow(run.moduleId).orElse(null) != run) {
                return run.report();
            }
            ended.put(run.moduleId, run.report());
            rt.removeShadow(run.moduleId);
            run.stop();
            String why = run.reason();
            if (decision == ShadowRun.Decision.DISCARD) {
                run.finish(ShadowReport.State.DISCARDED, why);
                return discarded(run, actor);
            }
            InstallContext promoted = new InstallContext(run.ctx.campaignId(), run.ctx.instructionId(), actor,
                    run.ctx.instruction());
            try {
                InstallResult r = host.install(run.packageBytes, promoted);
                run.finish(ShadowReport.State.PROMOTED, why + "; committed to slot " + r.slot());
            } catch (RejectedException e) {
                run.finish(ShadowReport.State.DISCARDED, "the install path refused the promotion: " + e.getMessage());
                return discarded(run, actor);
            }
            ShadowReport report = run.report();
            // recorded before anyone can read the outcome: who sees PROMOTED finds it in the log
            try {
                audit.append(AuditRecord.builder(AuditEvent.SHADOW_PROMOTED).moduleId(run.moduleId).actor(actor)
                        .fromVersion(run.activeVersion).toVersion(run.shadowVersion).outcome(Outcome.SUCCESS)
                        .detail(report.summary()));
            } finally {
                ended.put(run.moduleId, report);
            }
            events.printf("%s: shadow %s promoted: %s%n", run.moduleId, run.shadowVersion, report.reason());
            return report;
        }
    }

    /**
     * Whether the rule's promotion of {@code run} waits for the safe-execution preconditions (or was
     * concluded otherwise meanwhile); if so, it is recorded once and tried again later.
     */
    private boolean postponedFor(ShadowRun run) {
        HostRuntime rt = runtime.get();
        if (rt == null || rt.shadow(run.moduleId).orElse(null) != run) {
            postponed.remove(run.moduleId, run);
            return true;
        }
        SafeExecution.Verdict v = safety();
        if (v.met()) {
            postponed.remove(run.moduleId, run);
            return false;
        }
        if (postponed.put(run.moduleId, run) == null) {
            AuditRecord.Builder b = AuditRecord.builder(AuditEvent.INSTALL_POSTPONED).actor(RULE).moduleId(run.moduleId)
                    .campaignId(run.ctx.campaignId().orElse(null)).instructionId(run.ctx.instructionId().orElse(null))
                    .fromVersion(run.activeVersion)
                    .toVersion(run.shadowVersion).outcome(Outcome.REFUSED).cause("PRECONDITIONS_NOT_MET")
                    .detail("shadow " + run.shadowVersion + " not promoted: " + v.reason() + "; tried again until the"
                            + " preconditions hold");
            v.preconditions().forEach(b::precondition);
            audit.append(b);
            events.printf("%s: shadow %s promotion POSTPONED (%s)%n", run.moduleId, run.shadowVersion, v.reason());
        }
        decisions.schedule(() -> concludeSafely(run, ShadowRun.Decision.PROMOTE), safetyRetry.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        return true;
    }

    /** The vehicle's safe-execution preconditions now: met when its state directory configures none. */
    private SafeExecution.Verdict safety() {
        return SafeExecution.load(host.config().stateDir()).map(s -> s.evaluate(host.config().environment().can()))
                .orElse(new SafeExecution.Verdict(true, Map.of(), "no preconditions configured"));
    }

    /** Records a shadow that ended without promotion. */
    ShadowReport discarded(ShadowRun run, String actor) {
        if (closing && run.ctx.instruction().isPresent()) {
            return run.report(); // concluded, logged and answered when the host opens again, from its marker
        }
        installer.shadowEnded(run.ctx);
        if (!closing) {
            try {
                markers.ended(run.moduleId);
            } catch (java.io.UncheckedIOException e) {
                events.println(run.moduleId + ": " + e.getMessage());
            }
        }
        ShadowReport report = run.report();
        try {
            audit.append(AuditRecord.builder(AuditEvent.SHADOW_DISCARDED).moduleId(run.moduleId).actor(actor)
                    .fromVersion(run.activeVersion).toVersion(run.shadowVersion).outcome(Outcome.SUCCESS)
                    .detail(report.summary()));
        } finally {
            ended.put(run.moduleId, report); // after its record, as a promotion's
        }
        events.printf("%s: shadow %s discarded, %s kept running: %s%n", run.moduleId, run.shadowVersion,
                run.activeVersion, report.reason());
        return report;
    }

    private RejectedException refused(InstallContext ctx, RejectedException e) {
        audit.refused(null, ctx, e);
        return e;
    }

    private RejectedException refused(dev.wasmota.signing.manifest.Manifest m, InstallContext ctx, RejectedException e) {
        audit.refused(m, ctx, e);
        return e;
    }

    @Override
    public void close() {
        decisions.shutdownNow();
    }
}

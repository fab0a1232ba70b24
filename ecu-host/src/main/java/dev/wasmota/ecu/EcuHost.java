package dev.wasmota.ecu;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditAnchorFile;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.ecu.sandbox.ModuleStats;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.ecu.slots.SlotRecovery;
import dev.wasmota.ecu.slots.SlotStore;
import dev.wasmota.ecu.slots.SlotFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.StorageFailure;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.VerifiedPackage;
import dev.wasmota.signing.pki.TrustStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ECU host: the process on the vehicle that installs verified modules into A/B slots and
 * runs several suppliers' modules side by side, each compiled, in its own sandbox, under its
 * deadline, rolling back by itself when one faults, and confirming a new slot (raising its
 * anti-rollback floor) once it has run its probation. One entry point for the command line, the
 * simulator and the routes: {@link #open}, then {@link #install}, {@link #rollback},
 * {@link #confirm}, {@link #start}/{@link #run}.
 */
public final class EcuHost implements AutoCloseable {
    /** The audit log's file name in the state directory. */
    public static final String AUDIT_FILE = "audit.log";
    /** The state directory's trust directory: provisioned anchors (CLI) and the trust update in force. */
    public static final String TRUST_DIR = "trust";
    /** The longest {@link #run} waits for the modules to load before it starts counting its duration. */
    private static final Duration LOAD_WAIT = Duration.ofMinutes(10);

    private final HostConfig config;
    private final SlotStore slots;
    private final AuditLog log;
    private final HostAudit audit;
    private final HostTrust trust;
    private final Installer installer;
    private final PrintStream events;
    private final Quarantine quarantine;
    private final Probation probation;
    private volatile HostRuntime runtime;
    private volatile ProbationWatch watch;
    private final ShadowHost shadows;
    private final ShadowCommands shadowCommands;

    private EcuHost(HostConfig config, SlotStore slots, AuditLog log, HostAudit audit, HostTrust trust, PrintStream events) {
        this.config = config;
        this.slots = slots;
        this.log = log;
        this.audit = audit;
        this.trust = trust;
        this.installer = new Installer(config, slots, audit, trust::current);
        this.shadows = new ShadowHost(this, installer, audit, events, () -> runtime);
        this.shadowCommands = new ShadowCommands(config, trust::current, () -> runtime, shadows, audit);
        this.events = events;
        this.quarantine = new Quarantine(audit, events);
        this.probation = new Probation(config, slots, audit);
    }

    /**
     * Opens the host's state: recovers the slot store and the audit log after any crash, and
     * records what recovery found, so the next step starts from a committed slot and a
     * consistent log. The stored trust update, if any, is verified against the provisioned root
     * again and put in force. A module whose stored state is damaged is quarantined (logged, not
     * started); the others are not affected.
     *
     * @throws RejectedException {@link StorageFailure#STORAGE_READ_ONLY} when the state directory
     *     takes no writes (a read-only file system, no permission): the host must log what it does
     */
    public static EcuHost open(HostConfig config, PrintStream events) {
        try {
            return openWritable(config, events);
        } catch (RuntimeException e) {
            throw StateStorage.refusalIfReadOnly(config.stateDir(), e);
        }
    }

    private static EcuHost openWritable(HostConfig config, PrintStream events) {
        SlotStore slots = SlotStore.open(config.stateDir().resolve("slots"), config.stepHook());
        Path logFile = config.stateDir().resolve(AUDIT_FILE);
        AuditLog log = AuditLog.open(logFile, config.clock(), AuditAnchorFile.of(logFile).seq());
        EcuHost host;
        try {
            HostAudit audit = new HostAudit(log);
            host = new EcuHost(config, slots, log, audit, HostTrust.open(config, audit), events);
        } catch (RuntimeException | Error e) {
            log.close();
            throw e;
        }
        try {
            host.reconcile(slots.recovery());
            host.shadows.concludeRestarted(host.trust());
        } catch (RuntimeException | Error e) {
            log.close();
            throw e;
        }
        return host;
    }

    /**
     * Puts a trust update signed by the OEM root in force: verifies it against the provisioned root
     * (before parsing it), refuses a sequence not above the one in force (a trust rollback, logged
     * as a security event, like a forged update), stores it durably (atomic write and fsync), makes
     * every later verification use its revocations, and logs {@code TRUST_UPDATED}. The very update
     * in force, delivered again, changes nothing. Modules installed before keep running; nothing
     * new signed with a revoked key or certificate installs.
     *
     * @throws RejectedException a trust failure (exit 3) or {@code TRUST_UPDATE_ROLLBACK}/{@code MALFORMED_TRUST_UPDATE} (exit 4)
     */
    public TrustChange applyTrustUpdate(byte[] signedUpdate, String actor) {
        return trust.apply(signedUpdate, actor);
    }

    /** {@link #applyTrustUpdate(byte[], String)} by this host itself. */
    public TrustChange applyTrustUpdate(byte[] signedUpdate) {
        return applyTrustUpdate(signedUpdate, HostAudit.ACTOR);
    }

    /** The trust in force: the provisioned root and the revocations of the newest trust update accepted. */
    public TrustStore trust() {
        return trust.current();
    }

    /** Verifies both signatures and this host's policy; changes nothing. */
    public VerifiedPackage verify(byte[] packageBytes) {
        return installer.check(packageBytes).verified();
    }

    /**
     * Installs a package: verify → stage in the inactive slot → compile → instantiate → health
     * check → commit. If the host is running, the new module takes over at once.
     *
     * @throws RejectedException with the CONTRACT exit code; the active slot is unchanged
     */
    public synchronized InstallResult install(byte[] packageBytes, InstallContext ctx) {
        InstallResult r = installer.install(packageBytes, ctx, sandbox -> {
            if (runtime != null) {
                runtime.activate(sandbox);
            } else {
                sandbox.close();
            }
        });
        if (r.outcome() == InstallResult.Outcome.COMMITTED) {
            quarantine.lift(r.moduleId());
            probation.restart(r.moduleId());
        }
        return r;
    }

    /**
     * Runs a release as a shadow beside its module's running active version: verified, authorized
     * (its campaign instruction, or the service-operation policy), accepted and health-checked as
     * an install is, nothing staged; then called after each active tick on the inputs the active
     * read in it, its writes captured on buses of its own (never the vehicle's) and compared under
     * {@code spec}'s tolerance. Its rule promotes it through {@link #install} or discards it; the
     * active version runs throughout, untouched by the shadow's faults.
     *
     * @throws RejectedException as {@link #install} refuses, or a {@link ShadowFailure} (the host not
     *     running, no active module, a shadow already there, not affordable within {@link ShadowBudget})
     */
    public synchronized ShadowReport startShadow(byte[] packageBytes, InstallContext ctx, ShadowSpec spec) {
        return shadows.start(packageBytes, ctx, spec);
    }

    /**
     * What the sandbox saw of the module's running version since its activation (calls, call-time
     * percentiles, deadline misses, traps, memory high-water mark, the last shadow run's agreement);
     * empty if it does not run.
     */
    public Optional<dev.wasmota.contract.stats.ModuleHealth> health(String moduleId) {
        HostRuntime r = runtime;
        if (r == null) {
            return Optional.empty();
        }
        Optional<String> version = slots.state(moduleId).map(s -> s.activeMetadata().version());
        long agreement = shadows.report(moduleId).filter(s -> s.compared() > 0)
                .map(s -> Math.round(s.agreement() * 1_000_000)).orElse(-1L);
        return version.flatMap(v -> r.health(moduleId, v, agreement));
    }

    /** The module's running shadow, or the last one that ended since the host opened. */
    public Optional<ShadowReport> shadow(String moduleId) {
        return shadows.report(moduleId);
    }

    /** Promotes the module's shadow now, through the normal install path (an operator's campaign action). */
    public ShadowReport promoteShadow(String moduleId, String actor) {
        return shadows.decide(moduleId, ShadowRun.Decision.PROMOTE, actor, "promoted by " + actor);
    }

    /** Discards the module's shadow now; the active version keeps running. */
    public ShadowReport discardShadow(String moduleId, String actor, String why) {
        return shadows.decide(moduleId, ShadowRun.Decision.DISCARD, actor, "discarded by " + actor + ": " + why);
    }

    /**
     * Carries out an operator's signed shadow command (promote or discard, from a campaign action):
     * its campaign signature verified before it is parsed, then checked for this vehicle, its
     * validity, and that the module's running shadow is the one the command's instruction started;
     * a replayed command, or one whose shadow has ended, is refused ({@link ShadowFailure#STALE_COMMAND}).
     *
     * @return the shadow's report once promoted (committed through the install path) or discarded
     * @throws RejectedException a trust, instruction or shadow failure, logged
     */
    public ShadowReport shadowCommand(byte[] signedCommand) {
        return shadowCommands.carryOut(signedCommand);
    }

    /**
     * The signed campaign instruction that started each running shadow, by module id (shadows
     * started by hand are left out): what a vehicle's routes answer when the shadow ends, also after
     * they were restarted while the shadow ran on.
     */
    public java.util.Map<String, byte[]> shadowInstructions() {
        HostRuntime rt = runtime;
        java.util.Map<String, byte[]> out = new java.util.TreeMap<>();
        if (rt != null) {
            for (ShadowRun s : rt.shadows()) {
                s.ctx.instruction().ifPresent(file -> out.put(s.moduleId, file.clone()));
            }
        }
        return out;
    }

    /**
     * The signed instructions of the shadows the last restart ended (concluded as discarded when the
     * host opened, {@link #shadow} says why), by module id: handed over once, for the routes to answer.
     */
    public java.util.Map<String, byte[]> takeShadowsEndedByRestart() {
        return shadows.takeRestarted();
    }

    /** What the host may spend on modules and shadows together (default {@link ShadowBudget#DEFAULT}). */
    public void shadowBudget(ShadowBudget budget) {
        shadows.budget(budget);
    }

    /**
     * Installs the package file at {@code file}: its size is checked before it is read, and a file
     * over the package limit is refused ({@code MALFORMED_PACKAGE}, exit 4) and logged like every
     * other refusal.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file (nothing is logged)
     */
    public InstallResult install(Path file, InstallContext ctx) throws java.io.IOException {
        byte[] bytes;
        try {
            bytes = PackageFile.readBytes(file);
        } catch (RejectedException e) {
            synchronized (this) {
                audit.refused(null, ctx, e);
            }
            throw e;
        }
        return install(bytes, ctx);
    }

    /**
     * Activates the previous slot of {@code moduleId} by hand (a service operation, refused when the
     * ECU's {@link HostPolicy} forbids them); if the host is running, the module restarts from it.
     * A previous slot below the floor (its newer slot was confirmed) is refused as a security event.
     */
    public synchronized ModuleState rollback(String moduleId, String actor) {
        try {
            requireNotQuarantined(moduleId, "roll back");
            installer.hostPolicy().requireServiceOperation("rolling " + moduleId + " back by hand");
        } catch (RejectedException e) {
            audit.operationRefused(AuditEvent.ROLLBACK, moduleId, actor, e);
            throw e;
        }
        return rollbackToPrevious(moduleId, actor);
    }

    private ModuleState rollbackToPrevious(String moduleId, String actor) {
        ModuleState before;
        ModuleState after;
        try {
            before = slots.state(moduleId).orElseThrow(() -> new RejectedException(SlotFailure.NOT_INSTALLED,
                    "module " + moduleId + " has never been installed"));
            after = slots.rollback(moduleId);
        } catch (RejectedException e) {
            audit.operationRefused(AuditEvent.ROLLBACK, moduleId, actor, e);
            throw e;
        }
        audit.append(AuditRecord.builder(AuditEvent.ROLLBACK).moduleId(moduleId).actor(actor)
                .fromVersion(before.activeMetadata().version()).fromWasmSha256(before.activeMetadata().wasmSha256())
                .toVersion(after.activeMetadata().version()).toWasmSha256(after.activeMetadata().wasmSha256())
                .securityVersion(after.activeMetadata().securityVersion()).outcome(Outcome.SUCCESS).cause("MANUAL")
                .detail("rolled back by hand"));
        probation.restart(moduleId);
        if (runtime != null) {
            runtime.reload(moduleId);
        }
        return after;
    }

    /**
     * Confirms the active slot of {@code moduleId} by hand, before its probation ends: the floor
     * rises to its security version at once, so its rollback target is refused from then on. A
     * service operation (refused when the ECU's {@link HostPolicy} forbids them); a confirmed slot
     * stays as it is.
     *
     * @return the module's status after
     */
    public synchronized ProbationStatus confirm(String moduleId, String actor) {
        ModuleState state;
        try {
            requireNotQuarantined(moduleId, "confirm");
            state = slots.state(moduleId).orElseThrow(() -> new RejectedException(SlotFailure.NOT_INSTALLED,
                    "module " + moduleId + " has never been installed"));
            installer.hostPolicy().requireServiceOperation("confirming " + moduleId + " by hand");
        } catch (RejectedException e) {
            audit.operationRefused(AuditEvent.CONFIRMED, moduleId, actor, e);
            throw e;
        }
        probation.confirm(state, actor, "MANUAL", "confirmed by hand (" + actor + ")");
        return probation.status(state);
    }

    /** Where the active slot of {@code moduleId} stands in its confirmation step; empty if not installed or quarantined. */
    public Optional<ProbationStatus> probation(String moduleId) {
        if (quarantine.contains(moduleId)) {
            return Optional.empty();
        }
        return slots.state(moduleId).map(probation::status);
    }

    /** The quarantined modules: id and {@code CAUSE: detail}. */
    public Map<String, String> quarantined() {
        return quarantine.describe();
    }

    private void requireNotQuarantined(String moduleId, String what) {
        if (quarantine.contains(moduleId)) {
            throw new RejectedException(UpdateFailure.MODULE_QUARANTINED, "cannot " + what + " " + moduleId
                    + ": it is quarantined (" + quarantined().get(moduleId) + ")");
        }
    }

    /**
     * Starts every installed module on its period, the quarantined left out, and counts each
     * active slot's time towards its {@link Probation}. Returns at once: each module loads on its own
     * thread and ticks as soon as it is ready (see {@link #awaitStarted}); the events stream says
     * when each started, or why not.
     */
    public synchronized void start() {
        if (runtime == null) {
            runtime = new HostRuntime(config, slots, audit, events, this::moduleStarted);
            runtime.onShadowEnded(run -> shadows.discarded(run, HostAudit.ACTOR));
            runtime.start(modules().stream().map(ModuleState::moduleId).toList());
            HostRuntime running = runtime;
            watch = new ProbationWatch(probation, slots, this::watched, running::module, config.clock(),
                    config.faultWindow(), events).start();
        }
    }

    /** A module began to tick: its probation counts from now, not from the watch's next check. */
    private void moduleStarted() {
        ProbationWatch w = watch;
        if (w != null) {
            w.checkSafely();
        }
    }

    private List<String> watched() {
        return slots.modules().stream().filter(id -> !quarantine.contains(id)).toList();
    }

    private void stopWatch() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }

    /**
     * Waits until every module {@link #start} began loading has started or failed to; false if
     * some are still loading after {@code timeout} (or the host is not started).
     */
    public boolean awaitStarted(Duration timeout) throws InterruptedException {
        HostRuntime r;
        synchronized (this) {
            r = runtime;
        }
        return r != null && r.awaitStarted(timeout);
    }

    /**
     * Runs every installed module for {@code duration} once every module has loaded (each ticks
     * from its own start meanwhile; a load is bounded by the compile budget and the health check's),
     * then stops; returns what each did.
     */
    public RunReport run(Duration duration) throws InterruptedException {
        start();
        awaitStarted(LOAD_WAIT);
        Thread.sleep(duration.toMillis());
        RunReport report;
        synchronized (this) {
            stopWatch();
            if (runtime != null) {
                runtime.halt();
            }
            report = new RunReport(stats(), rollbacks());
        }
        stop();
        return report;
    }

    /**
     * What a run did.
     *
     * @param stats per module, over every instance it ran as (a rolled-back version included)
     * @param rollbacks automatic rollbacks per module
     */
    public record RunReport(Map<String, ModuleStats> stats, Map<String, Long> rollbacks) {
    }

    public synchronized Map<String, ModuleStats> stats() {
        return runtime == null ? Map.of() : runtime.stats();
    }

    /** Automatic rollbacks per module since {@link #start}. */
    public synchronized Map<String, Long> rollbacks() {
        return runtime == null ? Map.of() : runtime.rollbacks();
    }

    /** The running sandbox of {@code moduleId}, if the host runs it. */
    public synchronized Optional<SandboxedModule> running(String moduleId) {
        return runtime == null ? Optional.empty() : runtime.module(moduleId);
    }

    public synchronized void stop() {
        stopWatch();
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    /**
     * Installed modules and their slot states, the quarantined left out; a module whose state
     * cannot be read is quarantined now.
     */
    public List<ModuleState> modules() {
        return quarantine.readable(slots);
    }

    public long floor(String moduleId) {
        return slots.floor(moduleId);
    }

    public Path auditFile() {
        return log.file();
    }

    /** The host's audit log, for the vehicle's routes to record what they refuse and to report its head. */
    public AuditLog auditLog() {
        return log;
    }

    /**
     * The head of the audit log for a signed report about to leave, with its continuation proof:
     * the head this host reported before ({@link AuditAnchorFile}) and the hash its log holds at
     * that seq now, which the OEM compares with what it anchored then. When they differ (or the log
     * ends below it) the host records a {@code SECURITY_EVENT} ({@code AUDIT_LOG_REWRITTEN}) first.
     * The new head is kept as the anchor before the report leaves: from then on the OEM may hold
     * it, so a torn record at or below it is no longer recovered as a crash tail.
     */
    public ReportedHead reportHead() {
        return reportHead(config.clock());
    }

    /**
     * As {@link #reportHead()}, with the report's time read from {@code clock} under the same lock,
     * so of two reports the one naming the higher seq never carries the earlier time (the OEM takes a
     * lower seq with a later time as a log cut back).
     */
    public synchronized ReportedHead reportHead(Clock clock) {
        AuditAnchorFile file = AuditAnchorFile.of(log.file());
        Optional<AuditAnchorFile.Anchor> before = file.read();
        long prevSeq = before.map(AuditAnchorFile.Anchor::seq).filter(s -> s <= log.lastSeq()).orElse(0L);
        String prevHash = prevSeq == 0 ? "" : AuditLog.recordAt(log.file(), prevSeq).map(AuditRecord::hash).orElse("");
        if (prevHash.isEmpty()) {
            prevSeq = 0;
        }
        if (before.isPresent() && !before.get().hash().equals(prevHash)) {
            AuditAnchorFile.Anchor b = before.get();
            log.append(AuditRecord.builder(AuditEvent.SECURITY_EVENT).actor(HostAudit.ACTOR).outcome(Outcome.REFUSED)
                    .cause("AUDIT_LOG_REWRITTEN").detail(prevSeq == 0
                            ? "the audit log ended at seq " + log.lastSeq() + " below seq " + b.seq() + ", which this vehicle"
                            + " reported with hash " + b.hash() + ": records were cut since"
                            : "the audit log holds " + prevHash + " at seq " + b.seq() + ", where this vehicle reported "
                            + b.hash() + ": rewritten since").build());
        }
        long seq = log.lastSeq();
        String head = log.headHash();
        if (seq > 0) {
            file.raise(new AuditAnchorFile.Anchor(seq, head));
        }
        return new ReportedHead(seq, head, prevSeq, prevHash, clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * A head of this host's audit log as a signed report states it.
     *
     * @param prevSeq the head reported before, 0 if none
     * @param prevHash the hash the log holds at {@code prevSeq} now, empty if none
     * @param at the report's time, read with the head
     */
    public record ReportedHead(long seq, String hash, long prevSeq, String prevHash, Instant at) {
    }

    public HostConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        shadows.closing();
        stop();
        shadows.close();
        log.close();
    }

    /**
     * Brings the log in line with the slots after a crash: records every recovery finding, falls
     * back from a broken active slot, re-raises a floor a crash left low, and records a commit
     * or rollback that happened but was not logged before the crash.
     */
    private void reconcile(SlotRecovery recovery) {
        log.recoveredOnOpen().ifPresent(r -> events.println("audit log: " + r.detail()));
        if (!recovery.removedTempFiles().isEmpty()) {
            recovered(null, "removed " + recovery.removedTempFiles().size() + " temp files of interrupted writes");
        }
        for (SlotRecovery.Issue issue : recovery.issues()) {
            if (!quarantine.takes(issue)) {
                recovered(issue.moduleId(), issue.kind() + (issue.slot() != null ? " slot " + issue.slot() : "") + ": "
                        + issue.detail());
            }
            if (issue.kind() == SlotRecovery.Kind.ACTIVE_SLOT_BROKEN) {
                try {
                    rollbackToPrevious(issue.moduleId(), HostAudit.ACTOR);
                } catch (RejectedException e) {
                    events.println(issue.moduleId() + ": active slot broken and no usable previous slot: " + e.getMessage());
                }
            }
        }
        List<AuditRecord> records = AuditLog.read(log.file());
        for (ModuleState state : modules()) {
            installer.raiseFloor(state);
            String active = state.activeMetadata().wasmSha256();
            Optional<String> logged = lastActivated(records, state.moduleId());
            if (logged.isEmpty() || !logged.get().equals(active)) {
                recovered(state.moduleId(), "slot " + state.active() + " (" + state.activeMetadata().version()
                        + ") is active but its commit was not logged before an interruption; recorded now");
            }
            if (probation.confirmedUnlogged(state, records)) {
                recovered(state.moduleId(), "slot " + state.active() + " (" + state.activeMetadata().version()
                        + ") is confirmed (floor " + slots.floor(state.moduleId())
                        + ") but its confirmation was not logged before an interruption; recorded now");
            }
        }
    }

    private static Optional<String> lastActivated(List<AuditRecord> records, String moduleId) {
        String last = null;
        for (AuditRecord r : records) {
            if (!moduleId.equals(r.moduleId()) || r.toWasmSha256() == null || r.outcome() != Outcome.SUCCESS) {
                continue;
            }
            if (r.event() == AuditEvent.INSTALL_COMMITTED || r.event() == AuditEvent.ROLLBACK
                    || (r.event() == AuditEvent.RECOVERY)) {
                last = r.toWasmSha256();
            }
        }
        return Optional.ofNullable(last);
    }

    private void recovered(String moduleId, String detail) {
        AuditRecord.Builder b = AuditRecord.builder(AuditEvent.RECOVERY).actor(HostAudit.ACTOR).outcome(Outcome.SUCCESS)
                .detail(detail);
        if (moduleId != null) {
            b.moduleId(moduleId);
            try {
                slots.state(moduleId).ifPresent(s -> b.toVersion(s.activeMetadata().version())
                        .toWasmSha256(s.activeMetadata().wasmSha256()));
            } catch (RejectedException | java.io.UncheckedIOException unreadable) {
                // the record names the module; its state is what the detail reports as damaged
            }
        }
        audit.append(b);
        events.println("recovery: " + (moduleId != null ? moduleId + ": " : "") + detail);
    }
}

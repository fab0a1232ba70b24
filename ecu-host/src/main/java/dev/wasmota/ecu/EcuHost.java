package dev.wasmota.ecu;

import dev.wasmota.ecu.audit.AuditEvent;
import dev.wasmota.ecu.audit.AuditLog;
import dev.wasmota.ecu.audit.AuditRecord;
import dev.wasmota.ecu.audit.AuditRecord.Outcome;
import dev.wasmota.ecu.sandbox.ModuleStats;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.ecu.slots.SlotRecovery;
import dev.wasmota.ecu.slots.SlotStore;
import dev.wasmota.signing.error.RejectedException;
import dev.wasmota.signing.pkg.VerifiedPackage;
import dev.wasmota.signing.pki.TrustStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ECU host: the process on the vehicle that installs verified modules into A/B slots and
 * runs several suppliers' modules side by side, each compiled, in its own sandbox, under its
 * deadline, rolling back by itself when one faults. One entry point for the command line, the
 * simulator and the routes: {@link #open}, then {@link #install}, {@link #rollback},
 * {@link #start}/{@link #run}.
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
    private HostRuntime runtime;

    private EcuHost(HostConfig config, SlotStore slots, AuditLog log, HostAudit audit, HostTrust trust, PrintStream events) {
        this.config = config;
        this.slots = slots;
        this.log = log;
        this.audit = audit;
        this.trust = trust;
        this.installer = new Installer(config, slots, audit, trust::current);
        this.events = events;
    }

    /**
     * Opens the host's state: recovers the slot store and the audit log after any crash, and
     * records what recovery found, so the next step starts from a committed slot and a
     * consistent log. The stored trust update, if any, is verified against the provisioned root
     * again and put in force.
     */
    public static EcuHost open(HostConfig config, PrintStream events) {
        SlotStore slots = SlotStore.open(config.stateDir().resolve("slots"), config.stepHook());
        AuditLog log = AuditLog.open(config.stateDir().resolve(AUDIT_FILE), config.clock());
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
        return installer.install(packageBytes, ctx, sandbox -> {
            if (runtime != null) {
                runtime.activate(sandbox);
            } else {
                sandbox.close();
            }
        });
    }

    /** Activates the previous slot of {@code moduleId} by hand; if the host is running, the module restarts from it. */
    public synchronized ModuleState rollback(String moduleId, String actor) {
        ModuleState before = slots.state(moduleId).orElse(null);
        ModuleState after;
        try {
            after = slots.rollback(moduleId);
        } catch (RejectedException e) {
            audit.append(AuditRecord.builder(AuditEvent.ROLLBACK).moduleId(moduleId).actor(actor)
                    .outcome(Outcome.REFUSED).cause(e.reason().name()).detail(e.getMessage()));
            throw e;
        }
        audit.append(AuditRecord.builder(AuditEvent.ROLLBACK).moduleId(moduleId).actor(actor)
                .fromVersion(before.activeMetadata().version()).fromWasmSha256(before.activeMetadata().wasmSha256())
                .toVersion(after.activeMetadata().version()).toWasmSha256(after.activeMetadata().wasmSha256())
                .securityVersion(after.activeMetadata().securityVersion()).outcome(Outcome.SUCCESS).cause("MANUAL")
                .detail("rolled back by hand"));
        if (runtime != null) {
            runtime.reload(moduleId);
        }
        return after;
    }

    /**
     * Starts every installed module on its period. Returns at once: each module loads on its own
     * thread and ticks as soon as it is ready (see {@link #awaitStarted}); the events stream says
     * when each started, or why not.
     */
    public synchronized void start() {
        if (runtime == null) {
            runtime = new HostRuntime(config, slots, audit, events);
            runtime.start();
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
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    /** Installed modules and their slot states. */
    public List<ModuleState> modules() {
        return slots.modules().stream().map(slots::state).flatMap(Optional::stream).toList();
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

    public HostConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        stop();
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
            recovered(issue.moduleId(), issue.kind() + (issue.slot() != null ? " slot " + issue.slot() : "") + ": "
                    + issue.detail());
            if (issue.kind() == SlotRecovery.Kind.ACTIVE_SLOT_BROKEN) {
                try {
                    rollback(issue.moduleId(), HostAudit.ACTOR);
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
            slots.state(moduleId).ifPresent(s -> b.toVersion(s.activeMetadata().version())
                    .toWasmSha256(s.activeMetadata().wasmSha256()));
        }
        audit.append(b);
        events.println("recovery: " + (moduleId != null ? moduleId + ": " : "") + detail);
    }
}

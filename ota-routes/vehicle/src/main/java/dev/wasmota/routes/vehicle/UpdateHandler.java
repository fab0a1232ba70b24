package dev.wasmota.routes.vehicle;

import dev.wasmota.signing.pki.Credential;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.InstallContext;
import dev.wasmota.ecu.InstallResult;
import dev.wasmota.ecu.ShadowReport;
import dev.wasmota.ecu.ShadowSpec;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.transport.ServiceEvent;
import dev.wasmota.transport.ServiceEvents;
import dev.wasmota.transport.camel.DeadLetterRecorder;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.protocol.wire.UpdateMessage;
import dev.wasmota.routes.vehicle.release.ChunkFetcher;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.ecu.safety.SafeExecution;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;

/**
 * A vehicle's update route logic: the instruction and package go to the ECU host, which verifies
 * both before it parses either and installs only what both authorize (a redelivered instruction
 * changes nothing, an older one is refused, so duplicates and reordering cannot reinstall or
 * downgrade). The body becomes the signed status report for the OEM. A message whose instruction
 * does not verify gets no report (nothing in it can be trusted) and is refused; a package that
 * fails its signature check is reported and also dead-lettered ({@value #DEAD_LETTER_TOO}). Each
 * answer is one line for the operator: {@code update c1/i-42 healthy: COMMITTED 1.1.0 (committed in slot B)},
 * and kept ({@link SentStatuses}) to be sent again if the OEM asks.
 */
public final class UpdateHandler {
    /** Exchange property: the refusal to dead-letter after the status report went out. */
    public static final String DEAD_LETTER_TOO = DeadLetterRecorder.ALSO;
    /** Exchange property: the original payload, for that dead letter. */
    public static final String ORIGINAL = DeadLetterRecorder.ORIGINAL;

    private final EcuHost host;
    private final String vehicleId;
    private final Credential credential;
    private final Clock clock;
    private final RollbackWatch watch;
    private final ServiceEvents events;
    private final SentStatuses sent;
    private ChunkFetcher transfers;
    private final Optional<SafeExecution> safety;
    private final dev.wasmota.ecu.RxswinState rxswin;
    private final UserNotices notices;
    /** Updates waiting for their safe-execution preconditions, by instruction id, oldest first. */
    private final Map<String, Postponed> postponed = new LinkedHashMap<>();

    /** Exchange property: the update was postponed (its body is then an empty list: nothing to send yet). */
    public static final String POSTPONED = "wasmota.postponed";
    /** Most updates kept waiting for their preconditions; the oldest is dropped beyond. */
    public static final int MAX_POSTPONED = 16;

    private record Postponed(UpdateMessage message, Instruction instruction) {
    }

    public UpdateHandler(EcuHost host, String vehicleId, Credential credential, Clock clock, RollbackWatch watch,
                         ServiceEvents events, SentStatuses sent) {
        this(host, vehicleId, credential, clock, watch, events, sent, Optional.empty());
    }

    /**
     * With {@code safety}, an instructed update is activated only while its preconditions hold
     * (vehicle stationary, supply voltage): otherwise it is postponed (an {@code INSTALL_POSTPONED}
     * record), kept, and tried again by {@link #retryPostponed} until they hold or it expires.
     * Starting a shadow actuates nothing and is not postponed.
     */
    public UpdateHandler(EcuHost host, String vehicleId, Credential credential, Clock clock, RollbackWatch watch,
                         ServiceEvents events, SentStatuses sent, Optional<SafeExecution> safety) {
        this.safety = safety;
        this.host = host;
        this.vehicleId = vehicleId;
        this.credential = credential;
        this.clock = clock;
        this.watch = watch;
        this.events = events;
        this.sent = sent;
        this.rxswin = dev.wasmota.ecu.RxswinState.in(host.config().stateDir());
        this.notices = new UserNotices(host.auditLog(), clock, events);
    }

    /**
     * Sets the body to the signed status reports to send: one, or none for an instruction to run
     * the package as a shadow first (its answer comes when the shadow is promoted or discarded,
     * from {@link RollbackWatch}) or for a repeated delivery of one whose shadow still runs.
     */
    public void handle(Exchange ex) {
        byte[] payload = ex.getIn().getBody(byte[].class);
        receive(ex, UpdateMessage.decode(payload), payload);
    }

    /**
     * A package fetched in chunks ({@link ChunkFetcher.Assembled}), whole and checked against its
     * digest: installed exactly as one sent whole ({@link #handle}); once installed or refused,
     * its chunks are deleted.
     */
    public void handleAssembled(Exchange ex) {
        ChunkFetcher.Assembled a = ex.getIn().getBody(ChunkFetcher.Assembled.class);
        UpdateMessage m = new UpdateMessage(a.instruction(), a.packageFile());
        receive(ex, m, null);
        if (transfers != null) {
            transfers.done(a.packageSha256());
        }
    }

    /** Deletes each release fetched in chunks through {@code fetcher} once it was installed or refused. */
    public UpdateHandler withTransfers(ChunkFetcher fetcher) {
        this.transfers = fetcher;
        return this;
    }

    /** Sets the body to the reports {@link #install} gives, or none while the update is postponed. */
    private void receive(Exchange ex, UpdateMessage m, byte[] payload) {
        ex.getIn().removeHeaders("CamelPahoMqtt5*");
        if (safety.isPresent()) {
            Optional<Instruction> opened = opened(m.instruction());
            if (opened.isPresent() && opened.get().shadow().isEmpty()) {
                SafeExecution.Verdict v = safety.get().evaluate(host.config().environment().can());
                if (!v.met()) {
                    postpone(m, opened.get(), v);
                    ex.setProperty(POSTPONED, Boolean.TRUE);
                    ex.getIn().setBody(List.of());
                    return;
                }
            }
        }
        ex.getIn().setBody(install(ex, m, payload));
    }

    /**
     * Tries the postponed updates again, oldest first, if the preconditions hold now; drops those
     * whose instruction expired (the OEM counts them as failed). Returns the signed status reports to send.
     */
    public List<byte[]> retryPostponed() {
        List<Postponed> due = new ArrayList<>();
        synchronized (postponed) {
            if (postponed.isEmpty() || safety.isEmpty()) {
                return List.of();
            }
            postponed.values().removeIf(p -> {
                boolean expired = !p.instruction().expiresAt().isAfter(clock.instant());
                if (expired) {
                    events.emit(clock, ServiceEvent.Kind.STATUS, "update " + p.instruction().campaignId() + "/"
                            + p.instruction().instructionId() + " " + p.instruction().moduleId()
                            + ": postponed until it expired; not activated");
                }
                return expired;
            });
            if (postponed.isEmpty() || !safety.get().evaluate(host.config().environment().can()).met()) {
                return List.of();
            }
            due.addAll(postponed.values());
            postponed.clear();
        }
        List<byte[]> out = new ArrayList<>();
        for (Postponed p : due) {
            out.addAll(install(null, p.message(), null));
        }
        return out;
    }

    /** How many updates wait for their preconditions. */
    public int postponedCount() {
        synchronized (postponed) {
            return postponed.size();
        }
    }

    private void postpone(UpdateMessage m, Instruction i, SafeExecution.Verdict v) {
        boolean first;
        synchronized (postponed) {
            first = postponed.put(i.instructionId(), new Postponed(m, i)) == null;
            while (postponed.size() > MAX_POSTPONED) {
                postponed.remove(postponed.keySet().iterator().next());
            }
        }
        if (first) {
            AuditRecord.Builder b = AuditRecord.builder(AuditEvent.INSTALL_POSTPONED).actor("ota-routes")
                    .moduleId(i.moduleId()).campaignId(i.campaignId()).instructionId(i.instructionId())
                    .outcome(AuditRecord.Outcome.REFUSED).cause("PRECONDITIONS_NOT_MET")
                    .detail("not activated: " + v.reason() + "; tried again until the preconditions hold or "
                            + i.expiresAt());
            v.preconditions().forEach(b::precondition);
            host.auditLog().append(b.build());
        }
        events.emit(clock, ServiceEvent.Kind.STATUS, "update " + i.campaignId() + "/" + i.instructionId() + " "
                + i.moduleId() + ": POSTPONED (" + v.reason() + ")");
    }

    /**
     * Installs (or starts as a shadow) and returns the signed reports to send: one, or none for a
     * shadow (answered when it ends) or a repeated delivery of one whose shadow still runs.
     * {@code ex} is null for a retried postponed update (nothing to dead-letter through).
     */
    private List<byte[]> install(Exchange ex, UpdateMessage m, byte[] payload) {
        StatusReport report;
        Instruction i;
        Optional<Instruction> asked = opened(m.instruction());
        asked.ifPresent(this::expectRxswin);
        asked.ifPresent(notices::showBefore);
        if (asked.isPresent() && asked.get().shadow().isPresent()) {
            if (watch.shadowing(asked.get().instructionId())) {
                return List.of();
            }
            try {
                ShadowReport s = host.startShadow(m.packageFile(), InstallContext.instructed(m.instruction(), "ota-routes"),
                        ShadowSpec.of(asked.get().shadow().get()));
                watch.shadowStarted(asked.get(), s.moduleId());
                events.emit(clock, ServiceEvent.Kind.STATUS, "update " + asked.get().campaignId() + "/"
                        + asked.get().instructionId() + " " + s.moduleId() + ": SHADOW " + s.shadowVersion() + " beside "
                        + s.activeVersion() + " (" + s.spec().rule() + ")");
                return List.of();
            } catch (RejectedException e) {
                report = report(asked.get(), StatusReport.Result.FAILED, e.reason().name(), e.userMessage());
                return finish(ex, report, asked.get(), e, m, payload);
            }
        }
        try {
            InstallResult r = host.install(m.packageFile(), InstallContext.instructed(m.instruction(), "ota-routes"));
            i = opened(m.instruction()).orElseThrow();
            watch.committed(i, r.moduleId());
            report = report(i, StatusReport.Result.COMMITTED, "", r.outcome() == InstallResult.Outcome.ALREADY_ACTIVE
                    ? "already active: nothing changed" : "committed " + r.version() + " in slot " + r.slot());
        } catch (RejectedException e) {
            i = opened(m.instruction()).orElseThrow(() -> e);
            report = report(i, StatusReport.Result.FAILED, e.reason().name(), e.userMessage());
            return finish(ex, report, i, e, m, payload);
        }
        return finish(ex, report, i, null, m, payload);
    }

    /** The one signed report (a list, as the routes split it), and what to dead-letter with it. */
    private List<byte[]> finish(Exchange ex, StatusReport report, Instruction i, RejectedException refusal, UpdateMessage m,
                        byte[] payload) {
        if (refusal != null && refusal.exitCode() == ExitCode.TRUST && ex != null) {
            ex.setProperty(DEAD_LETTER_TOO, refusal);
            ex.setProperty(ORIGINAL, payload != null ? payload : m.encode());
        }
        events.emit(clock, ServiceEvent.Kind.STATUS, line(report));
        sent.keep(report, i.expiresAt());
        return List.of(SignedStatus.sign(report, credential));
    }

    /** {@code update c1/i-42 healthy: COMMITTED 1.1.0 (committed 1.1.0 in slot B)}, or the refusal's reason and detail. */
    static String line(StatusReport r) {
        return "update " + r.campaignId() + "/" + r.instructionId() + " " + r.moduleId() + ": " + r.result()
                + (r.result() == StatusReport.Result.COMMITTED ? " " + r.activeVersion() + " (" + r.detail() + ")"
                : " (" + (r.reason().isEmpty() ? "" : r.reason() + ": ") + r.detail() + "; active "
                + (r.activeVersion().isEmpty() ? "none" : r.activeVersion()) + ")");
    }

    private Optional<Instruction> opened(byte[] instruction) {
        try {
            return Optional.of(SignedInstruction.open(instruction, host.trust(), clock));
        } catch (RejectedException e) {
            return Optional.empty();
        }
    }

    /** An instruction that changes the RXSWIN makes it pending, bound to its package ({@link dev.wasmota.ecu.RxswinState}). */
    private void expectRxswin(Instruction i) {
        i.rxswin().ifPresent(r -> {
            try {
                rxswin.expect(r, i.moduleId(), i.packageSha256());
            } catch (java.io.UncheckedIOException e) {
                events.emit(clock, ServiceEvent.Kind.REFUSED, "update " + i.campaignId() + "/" + i.instructionId()
                        + ": RXSWIN " + r + " not recorded (" + e.getMessage() + ")");
            }
        });
    }

    /** What the vehicle runs now, for its report: its RXSWIN and each module's version and package digest. */
    dev.wasmota.protocol.wire.VehicleConfiguration configuration() {
        List<ModuleState> modules = host.modules();
        java.util.SortedMap<String, dev.wasmota.protocol.wire.VehicleConfiguration.Module> out = new java.util.TreeMap<>();
        for (ModuleState s : modules) {
            if (out.size() < dev.wasmota.protocol.wire.VehicleConfiguration.MAX_MODULES) {
                out.put(s.moduleId(), new dev.wasmota.protocol.wire.VehicleConfiguration.Module(s.activeMetadata().version(),
                        s.activeMetadata().packageSha256()));
            }
        }
        return new dev.wasmota.protocol.wire.VehicleConfiguration(rxswin.resolve(modules), out);
    }

    StatusReport report(Instruction i, StatusReport.Result result, String reason, String detail) {
        String active = host.modules().stream().filter(s -> s.moduleId().equals(i.moduleId())).findFirst()
                .map(ModuleState::activeMetadata).map(md -> md.version()).orElse("");
        EcuHost.ReportedHead head = host.reportHead(clock);
        return new StatusReport(vehicleId, i.campaignId(), i.instructionId(), i.nonce(), result, reason, detail,
                i.moduleId(), active, i.packageSha256(), head.seq(), head.hash(), head.at(), head.prevSeq(), head.prevHash(),
                host.health(i.moduleId())).withConfiguration(Optional.of(configuration()))
                .withNotice(notices.tellAfter(i, result, reason, active));
    }
}

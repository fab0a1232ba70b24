package dev.wasmota.routes.vehicle;

import dev.wasmota.signing.pki.Credential;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.InstallContext;
import dev.wasmota.ecu.InstallResult;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.transport.ServiceEvent;
import dev.wasmota.transport.ServiceEvents;
import dev.wasmota.transport.camel.DeadLetterRecorder;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.protocol.wire.UpdateMessage;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import java.time.Clock;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.ecu.safety.SafeExecution;
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
    private final Optional<SafeExecution> safety;
    /** Updates waiting for their safe-execution preconditions, by instruction id, oldest first. */
    private final Map<String, Postponed> postponed = new LinkedHashMap<>();

    /** Exchange property: the update was postponed, nothing to send. */
    public static final String POSTPONED = "wasmota.postponed";
    /** Most updates kept waiting for their preconditions; the oldest is dropped beyond. */
    public static final int MAX_POSTPONED = 16;

    private record Postponed(byte[] payload, Instruction instruction) {
    }

    public UpdateHandler(EcuHost host, String vehicleId, Credential credential, Clock clock, RollbackWatch watch,
                         ServiceEvents events, SentStatuses sent) {
        this(host, vehicleId, credential, clock, watch, events, sent, Optional.empty());
    }

    /**
     * With {@code safety}, an instructed update is activated only while its preconditions hold
     * (vehicle stationary, supply voltage): otherwise it is postponed (an {@code INSTALL_POSTPONED}
     * record), kept, and tried again by {@link #retryPostponed} until they hold or it expires.
     */
    public UpdateHandler(EcuHost host, String vehicleId, Credential credential, Clock clock, RollbackWatch watch,
                         ServiceEvents events, SentStatuses sent, Optional<SafeExecution> safety) {
        this.host = host;
        this.vehicleId = vehicleId;
        this.credential = credential;
        this.clock = clock;
        this.watch = watch;
        this.events = events;
        this.sent = sent;
        this.safety = safety;
    }

    public void handle(Exchange ex) {
        byte[] payload = ex.getIn().getBody(byte[].class);
        UpdateMessage m = UpdateMessage.decode(payload);
        if (safety.isPresent()) {
            Optional<Instruction> opened = opened(m.instruction());
            if (opened.isPresent()) {
                SafeExecution.Verdict v = safety.get().evaluate(host.config().environment().can());
                if (!v.met()) {
                    postpone(payload, opened.get(), v);
                    ex.setProperty(POSTPONED, Boolean.TRUE);
                    ex.getIn().removeHeaders("CamelPahoMqtt5*");
                    ex.getIn().setBody(null);
                    return;
                }
            }
        }
        ex.getIn().setBody(process(payload, m, ex));
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
            out.add(process(p.payload(), UpdateMessage.decode(p.payload()), null));
        }
        return out;
    }

    /** How many updates wait for their preconditions. */
    public int postponedCount() {
        synchronized (postponed) {
            return postponed.size();
        }
    }

    private void postpone(byte[] payload, Instruction i, SafeExecution.Verdict v) {
        boolean first;
        synchronized (postponed) {
            first = postponed.put(i.instructionId(), new Postponed(payload, i)) == null;
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

    private byte[] process(byte[] payload, UpdateMessage m, Exchange ex) {
        StatusReport report;
        Instruction i;
        try {
            InstallResult r = host.install(m.packageFile(), InstallContext.instructed(m.instruction(), "ota-routes"));
            i = opened(m.instruction()).orElseThrow();
            watch.committed(i, r.moduleId());
            report = report(i, StatusReport.Result.COMMITTED, "", r.outcome() == InstallResult.Outcome.ALREADY_ACTIVE
                    ? "already active: nothing changed" : "committed " + r.version() + " in slot " + r.slot());
        } catch (RejectedException e) {
            i = opened(m.instruction()).orElseThrow(() -> e);
            report = report(i, StatusReport.Result.FAILED, e.reason().name(), e.userMessage());
            if (e.exitCode() == ExitCode.TRUST && ex != null) {
                ex.setProperty(DEAD_LETTER_TOO, e);
                ex.setProperty(ORIGINAL, payload);
            }
        }
        events.emit(clock, ServiceEvent.Kind.STATUS, line(report));
        sent.keep(report, i.expiresAt());
        if (ex != null) {
            ex.getIn().removeHeaders("CamelPahoMqtt5*");
        }
        return SignedStatus.sign(report, credential);
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

    StatusReport report(Instruction i, StatusReport.Result result, String reason, String detail) {
        String active = host.modules().stream().filter(s -> s.moduleId().equals(i.moduleId())).findFirst()
                .map(ModuleState::activeMetadata).map(md -> md.version()).orElse("");
        EcuHost.ReportedHead head = host.reportHead(clock);
        return new StatusReport(vehicleId, i.campaignId(), i.instructionId(), i.nonce(), result, reason, detail,
                i.moduleId(), active, i.packageSha256(), head.seq(), head.hash(), head.at(), head.prevSeq(), head.prevHash());
    }
}

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
import java.time.Clock;
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

    public UpdateHandler(EcuHost host, String vehicleId, Credential credential, Clock clock, RollbackWatch watch,
                         ServiceEvents events, SentStatuses sent) {
        this.host = host;
        this.vehicleId = vehicleId;
        this.credential = credential;
        this.clock = clock;
        this.watch = watch;
        this.events = events;
        this.sent = sent;
    }

    /**
     * Sets the body to the signed status reports to send: one, or none for an instruction to run
     * the package as a shadow first (its answer comes when the shadow is promoted or discarded,
     * from {@link RollbackWatch}) or for a repeated delivery of one whose shadow still runs.
     */
    public void handle(Exchange ex) {
        byte[] payload = ex.getIn().getBody(byte[].class);
        install(ex, UpdateMessage.decode(payload), payload);
    }

    /**
     * A package fetched in chunks ({@link ChunkFetcher.Assembled}), whole and checked against its
     * digest: installed exactly as one sent whole ({@link #handle}); once installed or refused,
     * its chunks are deleted.
     */
    public void handleAssembled(Exchange ex) {
        ChunkFetcher.Assembled a = ex.getIn().getBody(ChunkFetcher.Assembled.class);
        UpdateMessage m = new UpdateMessage(a.instruction(), a.packageFile());
        install(ex, m, null);
        if (transfers != null) {
            transfers.done(a.packageSha256());
        }
    }

    /** Deletes each release fetched in chunks through {@code fetcher} once it was installed or refused. */
    public UpdateHandler withTransfers(ChunkFetcher fetcher) {
        this.transfers = fetcher;
        return this;
    }

    private void install(Exchange ex, UpdateMessage m, byte[] payload) {
        StatusReport report;
        Instruction i;
        Optional<Instruction> asked = opened(m.instruction());
        if (asked.isPresent() && asked.get().shadow().isPresent()) {
            if (watch.shadowing(asked.get().instructionId())) {
                ex.getIn().removeHeaders("CamelPahoMqtt5*");
                ex.getIn().setBody(java.util.List.of());
                return;
            }
            try {
                ShadowReport s = host.startShadow(m.packageFile(), InstallContext.instructed(m.instruction(), "ota-routes"),
                        ShadowSpec.of(asked.get().shadow().get()));
                watch.shadowStarted(asked.get(), s.moduleId());
                events.emit(clock, ServiceEvent.Kind.STATUS, "update " + asked.get().campaignId() + "/"
                        + asked.get().instructionId() + " " + s.moduleId() + ": SHADOW " + s.shadowVersion() + " beside "
                        + s.activeVersion() + " (" + s.spec().rule() + ")");
                ex.getIn().removeHeaders("CamelPahoMqtt5*");
                ex.getIn().setBody(java.util.List.of());
                return;
            } catch (RejectedException e) {
                report = report(asked.get(), StatusReport.Result.FAILED, e.reason().name(), e.userMessage());
                finish(ex, report, asked.get(), e, m, payload);
                return;
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
            finish(ex, report, i, e, m, payload);
            return;
        }
        finish(ex, report, i, null, m, payload);
    }

    /** Sets the body to the one signed report (a list, as the routes split it), and what to dead-letter with it. */
    private void finish(Exchange ex, StatusReport report, Instruction i, RejectedException refusal, UpdateMessage m,
                        byte[] payload) {
        if (refusal != null && refusal.exitCode() == ExitCode.TRUST) {
            ex.setProperty(DEAD_LETTER_TOO, refusal);
            ex.setProperty(ORIGINAL, payload != null ? payload : m.encode());
        }
        events.emit(clock, ServiceEvent.Kind.STATUS, line(report));
        sent.keep(report, i.expiresAt());
        ex.getIn().removeHeaders("CamelPahoMqtt5*");
        ex.getIn().setBody(java.util.List.of(SignedStatus.sign(report, credential)));
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
                i.moduleId(), active, i.packageSha256(), head.seq(), head.hash(), head.at(), head.prevSeq(), head.prevHash(),
                host.health(i.moduleId()));
    }
}

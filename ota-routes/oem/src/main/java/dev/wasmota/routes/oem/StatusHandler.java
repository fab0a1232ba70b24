package dev.wasmota.routes.oem;

import dev.wasmota.oem.audit.VehicleAnchors;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.CampaignService;
import dev.wasmota.oem.campaign.StatusReceipt;
import dev.wasmota.oem.campaign.VehicleReport;
import dev.wasmota.oem.campaign.VehicleLogHead;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.protocol.Topics;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.pki.TrustStore;
import dev.wasmota.transport.ServiceEvent;
import dev.wasmota.transport.ServiceEvents;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;

/**
 * The OEM's status route logic: a vehicle's signed status report is verified (chain to the OEM
 * root, vehicle role, signature, signer = the topic's vehicle) before it is parsed, then counted
 * by the campaign service, which ignores a repeated answer and refuses a contradicting one. The
 * report's audit-log head is kept in the OEM's status record ({@link VehicleLogHead}) as a signed
 * anchor of the vehicle's log. The trust anchors are asked for at each report, so a revocation
 * counts from the next one on. Each report taken in is one line for the operator and counted by result.
 */
public final class StatusHandler {
    private final CampaignService campaigns;
    private final Supplier<TrustStore> trust;
    private final Topics topics;
    private final Clock clock;
    private final ServiceEvents events;
    private final OemMeters meters;

    public StatusHandler(CampaignService campaigns, Supplier<TrustStore> trust, Topics topics, Clock clock, ServiceEvents events,
                         OemMeters meters) {
        this.campaigns = campaigns;
        this.trust = trust;
        this.topics = topics;
        this.clock = clock;
        this.events = events;
        this.meters = meters;
    }

    /** Takes in one status report; the body becomes the receipt's one-line summary. */
    public void handle(Exchange ex) {
        StatusReport r = open(ex);
        finish(ex, r, campaigns.reportStatuses(List.of(report(r))).get(0));
    }

    /**
     * Verifies the exchange's signed report (before it is parsed) and that its signer is the
     * vehicle of the topic it arrived on; refused with a {@link RejectedException} otherwise.
     */
    StatusReport open(Exchange ex) {
        String vehicle = topics.statusSender(ex.getIn().getHeader(PahoMqtt5Constants.MQTT_TOPIC, String.class));
        StatusReport r = SignedStatus.open(ex.getIn().getBody(byte[].class), trust.get(), clock.instant());
        if (!r.vehicleId().equals(vehicle)) {
            throw new RejectedException(RouteFailure.WRONG_SENDER, "vehicle " + r.vehicleId()
                    + "'s status report arrived on vehicle " + vehicle + "'s topic");
        }
        return r;
    }

    /**
     * The verified report as the campaign takes it in, with its log head as an anchor and what it
     * states of the vehicle's configuration (RXSWIN, modules; the newest report's kept) and of the
     * user notice, both kept in the report's transaction only if the campaign counts it.
     */
    VehicleReport report(StatusReport r) {
        String detail = (r.reason().isEmpty() ? "" : r.reason() + ": ") + r.detail() + " [active "
                + (r.activeVersion().isEmpty() ? "none" : r.activeVersion()) + ", audit head " + r.auditSeq() + " "
                + r.auditHead() + "]";
        return new VehicleReport(r.vehicleId(), r.campaignId(), r.instructionId(), r.nonce(), status(r.result()), detail,
                logHead(r), r.health(), Optional.of(new VehicleAnchors.Report(r.vehicleId(), r.campaignId(),
                r.instructionId(), r.auditSeq(), r.auditHead(), r.auditPrevSeq(), r.auditPrevHash(), r.reportedAt())),
                ReportedConfigurations.configuration(r), ReportedConfigurations.notice(r));
    }

    /**
     * What the campaign made of a report, once it is durable: the anchor's verdict (a contradiction
     * is counted and told), then the receipt as the body, or the campaign's refusal thrown.
     */
    void finish(Exchange ex, StatusReport r, VehicleReport.Outcome outcome) {
        outcome.anchor().ifPresent(taken -> anchored(r, taken));
        if (outcome.refused().isPresent()) {
            throw outcome.refused().get();
        }
        StatusReceipt receipt = outcome.receipt().orElseThrow();
        ex.getIn().setBody(r.vehicleId() + " " + r.instructionId() + " " + r.result()
                + (receipt.duplicate() ? " (repeated, not counted again)" : "") + "; campaign " + receipt.campaignState());
        meters.status(r.result(), receipt.duplicate());
        events.emit(clock, ServiceEvent.Kind.STATUS, line(r, receipt.duplicate(), receipt.campaignState().name()));
    }

    /**
     * The report's log head was kept as an anchor of the vehicle's log, checked against those the
     * OEM holds; a contradiction is a security event (recorded in the trail by the anchors, counted
     * here, one line for the operator). The report is still counted for its campaign: what the
     * vehicle did with the instruction is what it signed.
     */
    private void anchored(StatusReport r, VehicleAnchors.Taken taken) {
        if (taken.verdict().securityEvent()) {
            meters.logContradiction(taken.verdict());
            events.emit(clock, ServiceEvent.Kind.REFUSED, "SECURITY_EVENT " + taken.verdict() + " vehicle " + r.vehicleId()
                    + ": " + taken.detail());
        }
    }

    /** {@code status veh-1 COMMITTED healthy 1.0.0 (campaign c1 RUNNING, instruction i-42)}. */
    static String line(StatusReport r, boolean repeated, String campaignState) {
        StringBuilder b = new StringBuilder("status ").append(r.vehicleId()).append(' ').append(r.result()).append(' ')
                .append(r.moduleId());
        if (r.result() == StatusReport.Result.COMMITTED) {
            b.append(' ').append(r.activeVersion());
        } else {
            b.append(": ").append(r.reason().isEmpty() ? "" : r.reason() + ": ").append(r.detail())
                    .append(" (active ").append(r.activeVersion().isEmpty() ? "none" : r.activeVersion()).append(')');
        }
        b.append(" (campaign ").append(r.campaignId()).append(' ').append(campaignState).append(", instruction ")
                .append(r.instructionId()).append(repeated ? "; repeated, not counted again)" : ")");
        return b.toString();
    }

    /** The head of the vehicle's audit log its signed report states, kept in the OEM's status record. */
    static Optional<VehicleLogHead> logHead(StatusReport r) {
        try {
            return Optional.of(new VehicleLogHead(r.vehicleId(), r.auditSeq(), r.auditHead()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Action.Status status(StatusReport.Result result) {
        return switch (result) {
            case COMMITTED -> Action.Status.COMMITTED;
            case FAILED -> Action.Status.FAILED;
            case ROLLED_BACK -> Action.Status.ROLLED_BACK;
        };
    }
}

package dev.wasmota.routes.oem;

import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.CampaignService;
import dev.wasmota.oem.campaign.StatusReceipt;
import dev.wasmota.oem.campaign.VehicleLogHead;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.protocol.Topics;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.pki.TrustStore;
import java.time.Clock;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;

/**
 * The OEM's status route logic: a vehicle's signed status report is verified (chain to the OEM
 * root, vehicle role, signature, signer = the topic's vehicle) before it is parsed, then counted
 * by the campaign service, which ignores a repeated answer and refuses a contradicting one. The
 * report's audit-log head is kept in the OEM's status record ({@link VehicleLogHead}) as a signed
 * anchor of the vehicle's log.
 */
public final class StatusHandler {
    private final CampaignService campaigns;
    private final TrustStore trust;
    private final Topics topics;
    private final Clock clock;

    public StatusHandler(CampaignService campaigns, TrustStore trust, Topics topics, Clock clock) {
        this.campaigns = campaigns;
        this.trust = trust;
        this.topics = topics;
        this.clock = clock;
    }

    /** Takes in one status report; the body becomes the receipt's one-line summary. */
    public void handle(Exchange ex) {
        String vehicle = topics.statusSender(ex.getIn().getHeader(PahoMqtt5Constants.MQTT_TOPIC, String.class));
        StatusReport r = SignedStatus.open(ex.getIn().getBody(byte[].class), trust, clock.instant());
        if (!r.vehicleId().equals(vehicle)) {
            throw new RejectedException(RouteFailure.WRONG_SENDER, "vehicle " + r.vehicleId()
                    + "'s status report arrived on vehicle " + vehicle + "'s topic");
        }
        String detail = (r.reason().isEmpty() ? "" : r.reason() + ": ") + r.detail() + " [active "
                + (r.activeVersion().isEmpty() ? "none" : r.activeVersion()) + ", audit head " + r.auditSeq() + " "
                + r.auditHead() + "]";
        StatusReceipt receipt = campaigns.reportStatus(r.vehicleId(), r.campaignId(), r.instructionId(), r.nonce(),
                status(r.result()), detail, logHead(r));
        ex.getIn().setBody(r.vehicleId() + " " + r.instructionId() + " " + r.result()
                + (receipt.duplicate() ? " (repeated, not counted again)" : "") + "; campaign " + receipt.campaignState());
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

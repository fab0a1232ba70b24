package dev.wasmota.oem.campaign;

import dev.wasmota.contract.stats.ModuleHealth;
import dev.wasmota.oem.audit.VehicleAnchors;
import java.util.Objects;
import java.util.Optional;

/**
 * A vehicle's verified status report as the campaign takes it in, one of a batch
 * ({@link CampaignService#reportStatuses}): the answer to an instruction, the head of the vehicle's
 * log it signed (kept as an anchor, {@link VehicleAnchors}) and its runtime health.
 */
public record VehicleReport(String vehicleId, String campaignId, String instructionId, String nonce, Action.Status result,
                            String detail, Optional<VehicleLogHead> logHead, Optional<ModuleHealth> health,
                            Optional<VehicleAnchors.Report> anchor) {
    public VehicleReport {
        Objects.requireNonNull(vehicleId, "vehicleId");
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(instructionId, "instructionId");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(logHead, "logHead");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(anchor, "anchor");
        if (!result.reportable()) {
            throw new IllegalArgumentException("a vehicle reports COMMITTED, FAILED or ROLLED_BACK, not " + result);
        }
    }

    /**
     * What became of one report of a batch: counted (its receipt, and its anchor's verdict if it
     * carried one) or refused, without failing the others.
     */
    public record Outcome(Optional<StatusReceipt> receipt, Optional<VehicleAnchors.Taken> anchor,
                          Optional<dev.wasmota.contract.error.RejectedException> refused) {
        static Outcome counted(StatusReceipt receipt, Optional<VehicleAnchors.Taken> anchor) {
            return new Outcome(Optional.of(receipt), anchor, Optional.empty());
        }

        static Outcome refused(dev.wasmota.contract.error.RejectedException e, Optional<VehicleAnchors.Taken> anchor) {
            return new Outcome(Optional.empty(), anchor, Optional.of(e));
        }
    }
}

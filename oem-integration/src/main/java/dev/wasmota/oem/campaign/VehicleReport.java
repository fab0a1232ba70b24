package dev.wasmota.oem.campaign;

import dev.wasmota.contract.stats.ModuleHealth;
import dev.wasmota.oem.audit.VehicleAnchors;
import dev.wasmota.oem.record.CampaignNotices;
import dev.wasmota.oem.rxswin.ReportedConfiguration;
import java.util.Objects;
import java.util.Optional;

/**
 * A vehicle's verified status report as the campaign takes it in, one of a batch
 * ({@link CampaignService#reportStatuses}): the answer to an instruction, the head of the vehicle's
 * log it signed (kept as an anchor, {@link VehicleAnchors}), its runtime health, and what it
 * states of the vehicle's configuration and of the instruction's user notice (issue 17), kept in
 * the report's own savepoint only if the campaign counts the report.
 */
public record VehicleReport(String vehicleId, String campaignId, String instructionId, String nonce, Action.Status result,
                            String detail, Optional<VehicleLogHead> logHead, Optional<ModuleHealth> health,
                            Optional<VehicleAnchors.Report> anchor, Optional<ReportedConfiguration> configuration,
                            Optional<CampaignNotices.Reported> notice) {
    /** A report that states neither a configuration nor a notice. */
    public VehicleReport(String vehicleId, String campaignId, String instructionId, String nonce, Action.Status result,
                         String detail, Optional<VehicleLogHead> logHead, Optional<ModuleHealth> health,
                         Optional<VehicleAnchors.Report> anchor) {
        this(vehicleId, campaignId, instructionId, nonce, result, detail, logHead, health, anchor, Optional.empty(),
                Optional.empty());
    }

    public VehicleReport {
        Objects.requireNonNull(vehicleId, "vehicleId");
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(instructionId, "instructionId");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(logHead, "logHead");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(configuration, "configuration");
        Objects.requireNonNull(notice, "notice");
        if (configuration.isPresent() && !configuration.get().vehicleId().equals(vehicleId)) {
            throw new IllegalArgumentException("vehicle " + vehicleId + "'s report states the configuration of "
                    + configuration.get().vehicleId());
        }
        if (notice.isPresent() && !(notice.get().vehicleId().equals(vehicleId)
                && notice.get().instructionId().equals(instructionId))) {
            throw new IllegalArgumentException("the report of vehicle " + vehicleId + " on instruction " + instructionId
                    + " states the notice of vehicle " + notice.get().vehicleId() + " on " + notice.get().instructionId());
        }
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

package dev.wasmota.oem.audit;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditFailure;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.VerifyResult;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.campaign.VehicleLogHead;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A vehicle's audit log checked against the heads its signed status reports named, which the OEM
 * kept in its trail ({@link VehicleLogHead}): the log must verify as a chain, and at each head's
 * seq hold exactly the record whose hash the vehicle reported. A log rewritten after it reported
 * (a record edited, removed, or the tail replaced) no longer does, whatever it re-hashed.
 */
public final class VehicleLogCheck {
    private VehicleLogCheck() {
    }

    /**
     * One head the OEM holds, with where it came from.
     *
     * @param trailSeq the status record's seq in the OEM's trail
     */
    public record Anchor(long trailSeq, Instant at, String campaignId, String instructionId, VehicleLogHead head) {
    }

    /** What a check found: how many heads matched, how long the log is, and the newest head. */
    public record Result(int anchors, long vehicleRecords, Anchor latest) {
    }

    /** Every head of {@code vehicleId} the OEM's trail holds, oldest first. */
    public static List<Anchor> anchors(OemAuditTrail trail, String vehicleId) {
        List<Anchor> out = new ArrayList<>();
        for (AuditRecord r : trail.records(AuditEvent.CAMPAIGN_STATUS_RECEIVED)) {
            Optional<VehicleLogHead> head = VehicleLogHead.of(r);
            if (head.isPresent() && head.get().vehicleId().equals(vehicleId) && r.outcome() != AuditRecord.Outcome.REFUSED) {
                out.add(new Anchor(r.seq(), r.time(), r.campaignId(), r.instructionId(), head.get()));
            }
        }
        return out;
    }

    /**
     * Checks the vehicle log file {@code log} against {@code anchors}.
     *
     * @throws RejectedException {@link VehicleLogFailure#NO_ANCHORS} when there are none;
     *     {@link AuditFailure#CHAIN_BROKEN} when the log does not verify; {@link VehicleLogFailure#LOG_BEHIND_ANCHOR}
     *     or {@link VehicleLogFailure#LOG_HEAD_MISMATCH} at the first head it does not hold
     */
    public static Result check(String vehicleId, List<Anchor> anchors, Path log) {
        if (anchors.isEmpty()) {
            throw new RejectedException(VehicleLogFailure.NO_ANCHORS, "the OEM holds no log head of vehicle " + vehicleId
                    + ": it has accepted no status report from it");
        }
        VerifyResult chain = AuditLog.verify(log);
        if (!chain.ok()) {
            throw new RejectedException(AuditFailure.CHAIN_BROKEN, "vehicle " + vehicleId + "'s log " + log + ": "
                    + chain.summary());
        }
        List<AuditRecord> records = AuditLog.read(log);
        for (Anchor a : anchors) {
            long seq = a.head().seq();
            if (seq == 0) {
                continue;
            }
            if (seq > records.size()) {
                throw new RejectedException(VehicleLogFailure.LOG_BEHIND_ANCHOR, "vehicle " + vehicleId + "'s log " + log
                        + " ends at seq " + records.size() + ", but on " + a.at() + " it reported its log at seq " + seq
                        + " (" + where(a) + "): records were cut off");
            }
            String hash = records.get((int) seq - 1).hash();
            if (!hash.equals(a.head().sha256())) {
                throw new RejectedException(VehicleLogFailure.LOG_HEAD_MISMATCH, "vehicle " + vehicleId + "'s log " + log
                        + " holds " + hash + " at seq " + seq + ", but on " + a.at() + " it reported " + a.head().sha256()
                        + " there (" + where(a) + "): the log was rewritten after it reported");
            }
        }
        return new Result(anchors.size(), chain.records(), anchors.get(anchors.size() - 1));
    }

    private static String where(Anchor a) {
        return "status of instruction " + a.instructionId() + ", campaign " + a.campaignId() + ", OEM trail seq " + a.trailSeq();
    }
}

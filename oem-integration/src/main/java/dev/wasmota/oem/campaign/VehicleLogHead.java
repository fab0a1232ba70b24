package dev.wasmota.oem.campaign;

import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.Digests;
import java.util.Objects;
import java.util.Optional;

/**
 * The head of a vehicle's own audit log as its signed status report stated it: the seq and hash of
 * the vehicle's last record when it reported. The OEM keeps it in the status record, under the
 * verification {@value #VERIFICATION} as {@code VEHICLE SEQ SHA256}: a signed anchor, so a vehicle
 * log handed over later can be checked against what the vehicle said at the time (a log rewritten
 * since no longer holds that record).
 */
public record VehicleLogHead(String vehicleId, long seq, String sha256) {
    /** The status record's verification entry holding the head. */
    public static final String VERIFICATION = "vehicle-log-head";

    public VehicleLogHead {
        Objects.requireNonNull(vehicleId, "vehicleId");
        if (vehicleId.isEmpty() || vehicleId.contains(" ")) {
            throw new IllegalArgumentException("vehicle id must be one word: " + vehicleId);
        }
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative: " + seq);
        }
        if (sha256 == null || !Digests.SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits");
        }
    }

    /** The entry's value, {@code VEHICLE SEQ SHA256}. */
    public String text() {
        return vehicleId + " " + seq + " " + sha256;
    }

    /** The head a status record keeps, if it keeps one that reads as one. */
    public static Optional<VehicleLogHead> of(AuditRecord r) {
        String text = r.verifications().get(VERIFICATION);
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split(" ");
        try {
            return parts.length == 3 ? Optional.of(new VehicleLogHead(parts[0], Long.parseLong(parts[1]), parts[2]))
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

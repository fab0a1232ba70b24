package dev.wasmota.protocol.wire;

import java.time.Instant;
import java.util.Objects;

/**
 * A vehicle's answer to one campaign instruction, signed by the vehicle ({@link SignedStatus}):
 * what it did, what now runs, and the head of its audit log, so the OEM holds a signed anchor of
 * every vehicle's log and a rewritten tail shows.
 *
 * @param vehicleId the reporting vehicle
 * @param campaignId the instruction's campaign
 * @param instructionId the instruction answered
 * @param nonce the instruction's nonce, echoed
 * @param result what became of the instruction
 * @param reason the refusal's or fault's name when not committed, else empty
 * @param detail one line for people, at most {@value #MAX_DETAIL} characters
 * @param moduleId the module the instruction named
 * @param activeVersion the version of the module running after the attempt, empty if none
 * @param packageSha256 the package the instruction named
 * @param auditSeq sequence number of the vehicle's last audit record
 * @param auditHead hash of the vehicle's last audit record
 * @param reportedAt when the vehicle reported (its clock, milliseconds)
 * @param auditPrevSeq the seq of the head this vehicle put in its report before this one, 0 if
 *     none (optional on the wire: absent when 0)
 * @param auditPrevHash the hash of the record its log holds <em>now</em> at {@code auditPrevSeq}:
 *     the OEM compares it with the head it anchored then, so a log rewritten and grown past that
 *     anchor shows at once; empty when {@code auditPrevSeq} is 0
 * @param health what the vehicle's sandbox saw of the module's running version since its
 *     activation (issue 19), if it runs; a vehicle sends it again with its committed answer as the
 *     module keeps running, for the campaign's health gate
 * @param configuration what the vehicle runs after the attempt (issue 17): its RXSWIN and each
 *     module's version and digest, which the OEM checks the next release against
 * @param notice that the instruction's user notice was shown, and what the user was told after
 *     (issue 17), if the instruction carried one
 */
public record StatusReport(String vehicleId, String campaignId, String instructionId, String nonce, Result result,
                           String reason, String detail, String moduleId, String activeVersion, String packageSha256,
                           long auditSeq, String auditHead, Instant reportedAt, long auditPrevSeq, String auditPrevHash,
                           java.util.Optional<dev.wasmota.contract.stats.ModuleHealth> health,
                           java.util.Optional<VehicleConfiguration> configuration,
                           java.util.Optional<NoticeShown> notice) {
    public static final int MAX_DETAIL = 512;

    /** What a vehicle did with an instruction. */
    public enum Result {
        /** Verified, staged, health-checked and committed (or already active: nothing to do). */
        COMMITTED,
        /** Refused or failed; the active slot is unchanged. */
        FAILED,
        /** Committed, then rolled back by the host after faults. */
        ROLLED_BACK
    }

    public StatusReport {
        Objects.requireNonNull(vehicleId, "vehicleId");
        Objects.requireNonNull(campaignId, "campaignId");
        Objects.requireNonNull(instructionId, "instructionId");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(moduleId, "moduleId");
        Objects.requireNonNull(packageSha256, "packageSha256");
        Objects.requireNonNull(auditHead, "auditHead");
        Objects.requireNonNull(reportedAt, "reportedAt");
        reason = reason == null ? "" : reason;
        activeVersion = activeVersion == null ? "" : activeVersion;
        detail = detail == null ? "" : detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        auditPrevHash = auditPrevHash == null ? "" : auditPrevHash;
        health = health == null ? java.util.Optional.empty() : health;
        configuration = configuration == null ? java.util.Optional.empty() : configuration;
        notice = notice == null ? java.util.Optional.empty() : notice;
        if (auditPrevSeq < 0 || auditPrevSeq > auditSeq || (auditPrevSeq == 0) != auditPrevHash.isEmpty()) {
            throw new IllegalArgumentException("auditPrevSeq " + auditPrevSeq + " must be 0 (with no hash) or 1.."
                    + auditSeq + " with its hash");
        }
    }

    /** A report without a continuation proof (a vehicle that has reported nothing before). */
    public StatusReport(String vehicleId, String campaignId, String instructionId, String nonce, Result result,
                        String reason, String detail, String moduleId, String activeVersion, String packageSha256,
                        long auditSeq, String auditHead, Instant reportedAt) {
        this(vehicleId, campaignId, instructionId, nonce, result, reason, detail, moduleId, activeVersion, packageSha256,
                auditSeq, auditHead, reportedAt, 0, "");
    }

    /** A report without a user notice. */
    public StatusReport(String vehicleId, String campaignId, String instructionId, String nonce, Result result,
                        String reason, String detail, String moduleId, String activeVersion, String packageSha256,
                        long auditSeq, String auditHead, Instant reportedAt, long auditPrevSeq, String auditPrevHash,
                        java.util.Optional<dev.wasmota.contract.stats.ModuleHealth> health,
                        java.util.Optional<VehicleConfiguration> configuration) {
        this(vehicleId, campaignId, instructionId, nonce, result, reason, detail, moduleId, activeVersion, packageSha256,
                auditSeq, auditHead, reportedAt, auditPrevSeq, auditPrevHash, health, configuration, java.util.Optional.empty());
    }

    /** A report without its configuration. */
    public StatusReport(String vehicleId, String campaignId, String instructionId, String nonce, Result result,
                        String reason, String detail, String moduleId, String activeVersion, String packageSha256,
                        long auditSeq, String auditHead, Instant reportedAt, long auditPrevSeq, String auditPrevHash,
                        java.util.Optional<dev.wasmota.contract.stats.ModuleHealth> health) {
        this(vehicleId, campaignId, instructionId, nonce, result, reason, detail, moduleId, activeVersion, packageSha256,
                auditSeq, auditHead, reportedAt, auditPrevSeq, auditPrevHash, health, java.util.Optional.empty());
    }

    /** A report without runtime health. */
    public StatusReport(String vehicleId, String campaignId, String instructionId, String nonce, Result result,
                        String reason, String detail, String moduleId, String activeVersion, String packageSha256,
                        long auditSeq, String auditHead, Instant reportedAt, long auditPrevSeq, String auditPrevHash) {
        this(vehicleId, campaignId, instructionId, nonce, result, reason, detail, moduleId, activeVersion, packageSha256,
                auditSeq, auditHead, reportedAt, auditPrevSeq, auditPrevHash, java.util.Optional.empty());
    }

    /** This report with {@code health}. */
    public StatusReport withHealth(java.util.Optional<dev.wasmota.contract.stats.ModuleHealth> value) {
        return new StatusReport(vehicleId, campaignId, instructionId, nonce, result, reason, detail, moduleId,
                activeVersion, packageSha256, auditSeq, auditHead, reportedAt, auditPrevSeq, auditPrevHash, value,
                configuration, notice);
    }

    /** This report with {@code value} as the vehicle's configuration. */
    public StatusReport withConfiguration(java.util.Optional<VehicleConfiguration> value) {
        return new StatusReport(vehicleId, campaignId, instructionId, nonce, result, reason, detail, moduleId,
                activeVersion, packageSha256, auditSeq, auditHead, reportedAt, auditPrevSeq, auditPrevHash, health, value,
                notice);
    }

    /** This report stating that the user notice was shown, and what the user was told after. */
    public StatusReport withNotice(java.util.Optional<NoticeShown> value) {
        return new StatusReport(vehicleId, campaignId, instructionId, nonce, result, reason, detail, moduleId,
                activeVersion, packageSha256, auditSeq, auditHead, reportedAt, auditPrevSeq, auditPrevHash, health,
                configuration, value);
    }

    /** This report with the continuation proof {@code prevSeq}, {@code prevHash}. */
    public StatusReport withAuditPrev(long prevSeq, String prevHash) {
        return new StatusReport(vehicleId, campaignId, instructionId, nonce, result, reason, detail, moduleId,
                activeVersion, packageSha256, auditSeq, auditHead, reportedAt, prevSeq, prevHash, health, configuration, notice);
    }
}

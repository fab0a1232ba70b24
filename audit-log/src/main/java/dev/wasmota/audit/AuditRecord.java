package dev.wasmota.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One line of the audit log: who did what to which module, when, under which campaign, with
 * which verification results and outcome. Every field but {@code event} is optional and left out
 * of the JSON when null. {@code seq}, {@code time}, {@code prevHash} and {@code hash} are assigned
 * by {@link AuditLog#append}; a record built with {@link #builder} has them unset.
 *
 * @param seq position in the log, from 1; 0 until appended
 * @param time when the log appended it (UTC, from the log's clock)
 * @param event what happened
 * @param moduleId the module concerned
 * @param fromVersion the module version before the step
 * @param toVersion the module version after the step
 * @param fromWasmSha256 hex SHA-256 of the binary before the step
 * @param toWasmSha256 hex SHA-256 of the binary after the step
 * @param securityVersion the anti-rollback security version concerned
 * @param campaignId the OEM campaign the step belongs to
 * @param instructionId the signed campaign instruction that asked for the step
 * @param verifications each check's name and result, e.g. {@code supplier-signature -> ok}
 * @param preconditions each precondition's name and state, e.g. {@code vehicle-parked -> yes}
 * @param outcome how the step ended
 * @param cause a short machine-readable cause, e.g. a refusal reason or {@code MANUAL}
 * @param detail a one-line human explanation
 * @param actor who or what caused the step, e.g. {@code ecu-host}, {@code cli}, an operator id
 * @param prevHash hash of the previous record; 64 zeros for the first
 * @param hash hex SHA-256 of this record's canonical JSON without {@code hash}
 */
public record AuditRecord(
        long seq,
        Instant time,
        AuditEvent event,
        String moduleId,
        String fromVersion,
        String toVersion,
        String fromWasmSha256,
        String toWasmSha256,
        Long securityVersion,
        String campaignId,
        String instructionId,
        Map<String, String> verifications,
        Map<String, String> preconditions,
        Outcome outcome,
        String cause,
        String detail,
        String actor,
        String prevHash,
        String hash) {

    /** How the recorded step ended. */
    public enum Outcome {
        /** The step did what it set out to do. */
        SUCCESS,
        /** The step was attempted and failed (an error, a failed health check). */
        FAILURE,
        /** The step was not attempted because a check refused it. */
        REFUSED
    }

    public AuditRecord {
        Objects.requireNonNull(event, "event");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative: " + seq);
        }
        if (securityVersion != null && securityVersion < 0) {
            throw new IllegalArgumentException("securityVersion must not be negative: " + securityVersion);
        }
        verifications = sortedCopy(verifications);
        preconditions = sortedCopy(preconditions);
    }

    /** A builder for a new record of the given event. */
    public static Builder builder(AuditEvent event) {
        return new Builder(event);
    }

    /** This record's content with the log-assigned fields set. */
    AuditRecord sealed(long newSeq, Instant newTime, String newPrevHash, String newHash) {
        return new AuditRecord(newSeq, newTime, event, moduleId, fromVersion, toVersion, fromWasmSha256,
                toWasmSha256, securityVersion, campaignId, instructionId, verifications, preconditions,
                outcome, cause, detail, actor, newPrevHash, newHash);
    }

    private static Map<String, String> sortedCopy(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, String> copy = new TreeMap<>();
        map.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "map key"), Objects.requireNonNull(v, k)));
        return Collections.unmodifiableMap(copy);
    }

    /** Builds a record field by field; unset fields stay null and are left out of the log line. */
    public static final class Builder {
        private final AuditEvent event;
        private String moduleId;
        private String fromVersion;
        private String toVersion;
        private String fromWasmSha256;
        private String toWasmSha256;
        private Long securityVersion;
        private String campaignId;
        private String instructionId;
        private final Map<String, String> verifications = new TreeMap<>();
        private final Map<String, String> preconditions = new TreeMap<>();
        private Outcome outcome;
        private String cause;
        private String detail;
        private String actor;

        private Builder(AuditEvent event) {
            this.event = Objects.requireNonNull(event, "event");
        }

        public Builder moduleId(String value) {
            moduleId = value;
            return this;
        }

        public Builder fromVersion(String value) {
            fromVersion = value;
            return this;
        }

        public Builder toVersion(String value) {
            toVersion = value;
            return this;
        }

        public Builder fromWasmSha256(String value) {
            fromWasmSha256 = value;
            return this;
        }

        public Builder toWasmSha256(String value) {
            toWasmSha256 = value;
            return this;
        }

        public Builder securityVersion(long value) {
            securityVersion = value;
            return this;
        }

        public Builder campaignId(String value) {
            campaignId = value;
            return this;
        }

        public Builder instructionId(String value) {
            instructionId = value;
            return this;
        }

        /** Adds one verification result, e.g. {@code verification("oem-countersignature", "ok")}. */
        public Builder verification(String name, String result) {
            verifications.put(name, result);
            return this;
        }

        /** Adds one precondition and its state, e.g. {@code precondition("vehicle-parked", "yes")}. */
        public Builder precondition(String name, String state) {
            preconditions.put(name, state);
            return this;
        }

        public Builder outcome(Outcome value) {
            outcome = value;
            return this;
        }

        public Builder cause(String value) {
            cause = value;
            return this;
        }

        public Builder detail(String value) {
            detail = value;
            return this;
        }

        public Builder actor(String value) {
            actor = value;
            return this;
        }

        public AuditRecord build() {
            return new AuditRecord(0, null, event, moduleId, fromVersion, toVersion, fromWasmSha256,
                    toWasmSha256, securityVersion, campaignId, instructionId, verifications, preconditions,
                    outcome, cause, detail, actor, null, null);
        }
    }
}

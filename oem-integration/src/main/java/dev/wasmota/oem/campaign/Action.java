package dev.wasmota.oem.campaign;

import java.time.Instant;
import java.util.Optional;

/**
 * What a campaign asks of one vehicle and how it went (hawkBit's Action): install the release,
 * or, after a campaign-wide rollback, go back to the previous release.
 *
 * @param campaignId the campaign
 * @param vehicleId the vehicle
 * @param kind install or rollback
 * @param wave the wave the vehicle is in; 0 for a rollback
 * @param status where it is
 * @param issued the signed instruction sent, once sent
 * @param cause what the last status change was caused by, e.g. {@code REPORTED} or {@code EXPIRED}
 * @param detail the vehicle's one-line explanation, if it gave one
 * @param updatedAt when the status last changed
 */
public record Action(String campaignId, String vehicleId, Kind kind, int wave, Status status, Optional<Issued> issued,
                     Optional<String> cause, Optional<String> detail, Instant updatedAt) {

    /** The cause recorded when an instruction expired without an answer. */
    public static final String EXPIRED = "EXPIRED";
    /** The cause recorded when the vehicle reported the status. */
    public static final String REPORTED = "REPORTED";
    /** The cause recorded when the vehicle was left out at the campaign's start (its configuration does not fit). */
    public static final String INCOMPATIBLE = "INCOMPATIBLE";

    /**
     * Whether a vehicle's report of {@code reported} may replace this action's status: the first
     * answer to an instruction; a late answer after the instruction was counted as expired; a
     * rollback after a commit (the vehicle's fault window tripped). A repeat is not a change.
     */
    public boolean acceptsReport(Status reported) {
        return switch (status) {
            case INSTRUCTED -> true;
            case COMMITTED -> reported == Status.ROLLED_BACK;
            case FAILED -> cause.filter(EXPIRED::equals).isPresent();
            default -> false;
        };
    }

    /** What the action asks of the vehicle. */
    public enum Kind {
        /** Install the campaign's release. */
        INSTALL,
        /** Go back to the release before the campaign's (a campaign-wide rollback). */
        ROLLBACK
    }

    /** An action's lifecycle; the last three are the answers a vehicle reports. */
    public enum Status {
        /** Waiting for its wave: nothing sent yet. */
        PENDING,
        /** The signed instruction was issued; no answer yet. */
        INSTRUCTED,
        /** The vehicle installed the package, passed the health check and committed it. */
        COMMITTED,
        /** The vehicle refused or failed the install, or did not answer before the instruction expired. */
        FAILED,
        /** The vehicle activated the package but went back to its previous slot (failed health check or faults). */
        ROLLED_BACK,
        /**
         * Left out at the campaign's start: the vehicle's last signed configuration does not fit
         * the release (issue 17: RXSWIN, module requirements); never instructed, not counted in its
         * wave's rates; {@code detail} gives the reason.
         */
        EXCLUDED;

        /** Whether a vehicle may report this status. */
        public boolean reportable() {
            return this == COMMITTED || this == FAILED || this == ROLLED_BACK;
        }

        /** Whether it counts against the wave's error rate. */
        public boolean failure() {
            return this == FAILED || this == ROLLED_BACK;
        }
    }

    /**
     * The instruction sent for an action.
     *
     * @param instructionId its id
     * @param counter the vehicle's counter it carries
     * @param nonce the nonce the vehicle must echo in its status
     * @param packageSha256 the package it names
     * @param issuedAt when it was issued
     * @param expiresAt when it expires
     */
    public record Issued(String instructionId, long counter, String nonce, String packageSha256, Instant issuedAt,
                         Instant expiresAt) {
    }
}

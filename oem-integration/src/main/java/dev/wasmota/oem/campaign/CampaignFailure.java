package dev.wasmota.oem.campaign;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/**
 * Why a campaign operation or a vehicle's status report was refused. Each reason carries its
 * CONTRACT exit code: policy and malformed input 4, an unauthenticated status report 3, an OEM
 * database that cannot be opened, or a worker name in use, 2.
 */
public enum CampaignFailure implements Reason {
    /** No campaign has the id given. */
    UNKNOWN_CAMPAIGN(ExitCode.POLICY),
    /** A vehicle named is not registered with the OEM (register it with its hardware id first). */
    UNKNOWN_VEHICLE(ExitCode.POLICY),
    /** A status report names an instruction this campaign never issued. */
    UNKNOWN_INSTRUCTION(ExitCode.POLICY),
    /** A status report's nonce differs from the one its instruction carried: it is not bound to the instruction. */
    WRONG_NONCE(ExitCode.TRUST),
    /** A status report names another vehicle than the one its instruction was for. */
    STATUS_MISMATCH(ExitCode.POLICY),
    /** A status report contradicts the vehicle's earlier answer to the same instruction. */
    STATUS_CONFLICT(ExitCode.POLICY),
    /** The campaign's state does not allow the operation (e.g. resume a completed campaign). */
    ILLEGAL_TRANSITION(ExitCode.POLICY),
    /** The campaign's definition is unusable: thresholds, validity, waves that do not cover the targets, no targets. */
    INVALID_CAMPAIGN(ExitCode.POLICY),
    /** A campaign with the id given already exists. */
    DUPLICATE_CAMPAIGN(ExitCode.POLICY),
    /** A targeted vehicle's hardware is not one the release runs on. */
    HARDWARE_MISMATCH(ExitCode.POLICY),
    /** A targeted vehicle is already in another campaign that is not finished (its counter order would race). */
    VEHICLE_BUSY(ExitCode.POLICY),
    /** A vehicle or hardware id is not well formed. */
    INVALID_VEHICLE(ExitCode.POLICY),
    /** A vehicle is already registered with another hardware id. */
    VEHICLE_CONFLICT(ExitCode.POLICY),
    /** The OEM database was migrated by a newer version of this program. */
    SCHEMA_TOO_NEW(ExitCode.POLICY),
    /** The OEM database cannot be opened or migrated: a bad URL, a database other than H2 or PostgreSQL, a failed migration. */
    DATABASE_UNAVAILABLE(ExitCode.USAGE),
    /** Another live process serves as the OEM worker of that name (its lease is live). */
    WORKER_ACTIVE(ExitCode.USAGE),
    /** A campaign's start found none of its vehicles compatible with its release (RXSWIN, module requirements). */
    NO_COMPATIBLE_VEHICLE(ExitCode.POLICY);

    private final ExitCode exitCode;

    CampaignFailure(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}

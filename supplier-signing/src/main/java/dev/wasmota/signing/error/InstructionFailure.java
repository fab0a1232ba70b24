package dev.wasmota.signing.error;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why a vehicle refused a campaign instruction (exit 4; a bad signature is a {@link TrustFailure}). */
public enum InstructionFailure implements Reason {
    /** The instruction file or its JSON is not well formed. */
    MALFORMED_INSTRUCTION,
    /** The instruction's validity period has ended (a frozen or delayed instruction). */
    EXPIRED,
    /** The instruction is not valid yet (issued in the future beyond the allowed clock skew). */
    NOT_YET_VALID,
    /** The instruction is for another vehicle. */
    WRONG_VEHICLE,
    /** The instruction names another package than the one delivered with it. */
    PACKAGE_MISMATCH,
    /** The instruction's counter is not above the last one this vehicle accepted (a replay). */
    REPLAYED;

    @Override
    public ExitCode exitCode() {
        return ExitCode.POLICY;
    }
}

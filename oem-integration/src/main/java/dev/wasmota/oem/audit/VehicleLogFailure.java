package dev.wasmota.oem.audit;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why a vehicle's audit log was found not to match what the vehicle reported to the OEM. */
public enum VehicleLogFailure implements Reason {
    /** The OEM holds no log head of that vehicle: nothing to check the log against. */
    NO_ANCHORS(ExitCode.POLICY),
    /** A record of the vehicle's log is not the one the vehicle's signed status named at that position: the log was rewritten. */
    LOG_HEAD_MISMATCH(ExitCode.TRUST),
    /** The vehicle's log ends before a record its signed status named: records were cut off. */
    LOG_BEHIND_ANCHOR(ExitCode.TRUST);

    private final ExitCode exitCode;

    VehicleLogFailure(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}

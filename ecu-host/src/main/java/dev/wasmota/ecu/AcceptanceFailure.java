package dev.wasmota.ecu;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why the vehicle refused an install by running the OEM's acceptance vectors itself (exit 5: the module misbehaved here). */
public enum AcceptanceFailure implements Reason {
    /**
     * On this vehicle's own compiled code, an acceptance case returned other values than the OEM's
     * sandbox did, faulted, or could not be called as stated: a miscompile or a tampered compiler
     * on one side.
     */
    ACCEPTANCE_VECTOR_FAILED;

    @Override
    public ExitCode exitCode() {
        return ExitCode.MODULE_FAULT;
    }
}

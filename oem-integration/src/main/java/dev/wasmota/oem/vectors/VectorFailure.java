package dev.wasmota.oem.vectors;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why a test-vector file or run was refused. */
public enum VectorFailure implements Reason {
    /** The vector file is not valid vector JSON, or a field is out of range (exit 4). */
    MALFORMED_VECTORS(ExitCode.POLICY),
    /** A case returned other values than expected, or named an export the module lacks (exit 5). */
    VECTOR_FAILED(ExitCode.MODULE_FAULT);

    private final ExitCode exitCode;

    VectorFailure(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}

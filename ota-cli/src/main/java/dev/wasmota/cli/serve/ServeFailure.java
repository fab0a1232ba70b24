package dev.wasmota.cli.serve;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why a serve command refused to start. */
public enum ServeFailure implements Reason {
    /** The TLS certificate names another party than the one serving (CN {@code vehicle/<id>} for an ECU). */
    CREDENTIAL_MISMATCH(ExitCode.POLICY);

    private final ExitCode exitCode;

    ServeFailure(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}

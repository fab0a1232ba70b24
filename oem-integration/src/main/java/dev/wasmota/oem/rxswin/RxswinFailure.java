package dev.wasmota.oem.rxswin;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why a software identification (UN R156 7.1.1) statement was refused. */
public enum RxswinFailure implements Reason {
    /** An RXSWIN, module list, requirement or reason is not well formed or over its bound. */
    MALFORMED_RXSWIN(ExitCode.POLICY),
    /** The RXSWIN is not in the register (for that hardware id). */
    UNKNOWN_RXSWIN(ExitCode.POLICY),
    /** The RXSWIN is registered already with other module versions: a register entry never changes. */
    RXSWIN_CONFLICT(ExitCode.POLICY),
    /** The release's stated change contradicts the register (its new RXSWIN does not hold the release). */
    RXSWIN_MISMATCH(ExitCode.POLICY);

    private final ExitCode exitCode;

    RxswinFailure(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}

package dev.wasmota.oem.intake;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/**
 * Refusals of the OEM intake that no lower module names: the other reasons it refuses for are
 * the signing module's ({@code TrustFailure}, {@code PolicyFailure}), the host's
 * ({@code HostPolicyFailure}, {@code FaultKind}) and the vector runner's ({@code VectorFailure}).
 */
public enum IntakeFailure implements Reason {
    /** The worst call time leaves less than the required margin under the deadline (exit 5). */
    TIMING_MARGIN(ExitCode.MODULE_FAULT),
    /** The package already carries an OEM countersignature: intake takes supplier submissions only (exit 4). */
    ALREADY_COUNTERSIGNED(ExitCode.POLICY),
    /**
     * Two compilations of the module gave different bytecode digests, so a vehicle could not
     * reproduce the digest the OEM would sign (exit 4).
     */
    COMPILE_NOT_REPRODUCIBLE(ExitCode.POLICY);

    private final ExitCode exitCode;

    IntakeFailure(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}

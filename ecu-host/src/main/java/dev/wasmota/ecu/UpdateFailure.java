package dev.wasmota.ecu;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why the ECU host refused an update by its own checks (exit 4 unless a constant says otherwise). */
public enum UpdateFailure implements Reason {
    /** The package targets other hardware than this ECU's. */
    WRONG_HARDWARE,
    /** The package's security version is below the module's anti-rollback floor. */
    ANTI_ROLLBACK,
    /** The trust anchors given differ from the ones this ECU was provisioned with. */
    TRUST_ANCHOR_MISMATCH,
    /** The ECU's identity (hardware id) is not known and the package needs it. */
    IDENTITY_UNKNOWN,
    /**
     * A service operation (an install without a campaign instruction, a rollback or a confirmation
     * by hand) on an ECU whose policy ({@link HostPolicy}) allows only what campaigns instruct.
     */
    SERVICE_OPERATION_FORBIDDEN,
    /**
     * The trust anchors this ECU was provisioned with are missing or unreadable: it can verify
     * nothing, so it installs and starts nothing (exit 3).
     */
    TRUST_ANCHORS_MISSING(ExitCode.TRUST),
    /** The module is quarantined: its stored state is damaged, so the host does not touch it (exit 3). */
    MODULE_QUARANTINED(ExitCode.TRUST),
    /**
     * The package's supplier is not the installed module's, and the OEM's countersignature carries
     * no transfer of the module from the one to the other: a takeover of another supplier's module.
     */
    MODULE_OWNED_BY_ANOTHER_SUPPLIER,
    /** The owner the OEM's countersignature states is not the package's supplier or module, or its transfers do not chain. */
    OWNER_MISMATCH,
    /**
     * The vehicle's own compilation of the module differs from what the OEM's countersignature
     * records: one of the two compilers is not what it claims (exit 3).
     */
    COMPILED_OUTPUT_MISMATCH(ExitCode.TRUST);

    private final ExitCode exitCode;

    UpdateFailure() {
        this(ExitCode.POLICY);
    }

    UpdateFailure(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}

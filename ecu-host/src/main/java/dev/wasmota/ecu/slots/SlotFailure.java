package dev.wasmota.ecu.slots;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why the slot store refused an operation. */
public enum SlotFailure implements Reason {
    /** The module id does not match the allowed pattern (it could name a path outside the store). */
    INVALID_MODULE_ID(ExitCode.POLICY),
    /** No install of this module was ever committed. */
    NOT_INSTALLED(ExitCode.POLICY),
    /** The slot holds no staged package. */
    EMPTY_SLOT(ExitCode.POLICY),
    /** There is no previous slot to roll back to. */
    NO_PREVIOUS_SLOT(ExitCode.POLICY),
    /** The security version is below the module's anti-rollback floor. */
    BELOW_FLOOR(ExitCode.POLICY),
    /** The anti-rollback floor only rises; a lower value was asked for. */
    FLOOR_LOWERING(ExitCode.POLICY),
    /** The package is larger than the store accepts. */
    PACKAGE_TOO_LARGE(ExitCode.POLICY),
    /** The package bytes do not have the SHA-256 their metadata declares. */
    PACKAGE_DIGEST_MISMATCH(ExitCode.TRUST),
    /** A slot's package on disk is missing or differs from what was recorded for it. */
    SLOT_CORRUPT(ExitCode.TRUST),
    /** A state, slot or floor file cannot be read as what it should be. */
    STATE_UNREADABLE(ExitCode.TRUST);

    private final ExitCode exitCode;

    SlotFailure(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}

package dev.wasmota.oem.owner;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why the OEM refused a package or a transfer on the grounds of who owns the module (exit 4 unless a constant says otherwise). */
public enum OwnershipFailure implements Reason {
    /** The module id belongs to another supplier: only the OEM can hand it over ({@code ota oem module transfer}). */
    MODULE_OWNED_BY_ANOTHER_SUPPLIER,
    /** The new owner's package is below the security version its transfer starts at. */
    BELOW_TRANSFER_FLOOR,
    /** A transfer names a module no intake has accepted yet, so it has no owner to transfer from. */
    UNKNOWN_MODULE,
    /** A transfer names the supplier that already owns the module, or a floor that is not above its releases. */
    INVALID_TRANSFER,
    /** The owner registry on disk is not a well-formed registry. */
    MALFORMED_OWNER_REGISTRY,
    /** A transfer in the owner registry does not verify with the OEM release key: the registry was edited (exit 3). */
    TRANSFER_UNVERIFIED(ExitCode.TRUST);

    private final ExitCode exitCode;

    OwnershipFailure() {
        this(ExitCode.POLICY);
    }

    OwnershipFailure(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}

package dev.wasmota.oem.owner;

import dev.wasmota.signing.pki.Credential;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * The OEM's act of handing a module over: drafts the transfer from the current owner, picks the
 * security version the new owner starts at (one above the highest countersigned so far, or
 * higher when asked), signs it with the release key and records it.
 */
public final class OwnershipTransfers {
    private OwnershipTransfers() {
    }

    /**
     * Transfers {@code moduleId} to {@code to}; returns the signed, recorded transfer.
     *
     * @param minSecurityVersion where the new owner's releases start; empty: one above the highest released
     * @throws RejectedException {@link OwnershipFailure#UNKNOWN_MODULE} or {@link OwnershipFailure#INVALID_TRANSFER};
     *     nothing is recorded then
     */
    public static ModuleTransfer transfer(ModuleOwners owners, Credential release, String moduleId, String to,
                                          String reason, OptionalLong minSecurityVersion, Instant at) {
        ModuleOwnership current = owners.find(moduleId).orElseThrow(() -> new RejectedException(
                OwnershipFailure.UNKNOWN_MODULE, "module " + moduleId + " has no owner yet: the first supplier whose"
                        + " package of it passes intake becomes its owner"));
        if (current.supplierId().equals(to)) {
            throw new RejectedException(OwnershipFailure.INVALID_TRANSFER, "module " + moduleId + " already belongs to "
                    + to);
        }
        if (current.highestSecurityVersion() >= Manifest.MAX_SECURITY_VERSION) {
            throw new RejectedException(OwnershipFailure.INVALID_TRANSFER, "module " + moduleId + " was released at the"
                    + " highest security version there is; a new owner could release nothing above it");
        }
        long min = minSecurityVersion.orElse(current.highestSecurityVersion() + 1);
        ModuleTransfer t = ModuleTransfer.sign(moduleId, current.supplierId(), to, min, at, reason, release);
        FileModuleOwners.requireTransferable(current, t);
        owners.transfer(t);
        return t;
    }
}

package dev.wasmota.oem.owner;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who owns each module id at the OEM: the supplier whose package of it first passed intake, until
 * the OEM transfers it. Every intake path reads and writes it through this interface (the
 * command line and {@code oem serve}'s workers alike), so an implementation must be durable and
 * make {@link #claim} and {@link #transfer} atomic across every process sharing it.
 * {@link FileModuleOwners} keeps it in the OEM directory.
 */
public interface ModuleOwners {
    /** The module's ownership, if any intake accepted it. */
    Optional<ModuleOwnership> find(String moduleId);

    /** Every owned module, by module id. */
    List<ModuleOwnership> list();

    /**
     * Records that {@code supplierId} released {@code securityVersion} of {@code moduleId}: the
     * first release makes it the owner; a later one must come from the owner, at or above the
     * floor of the transfer that made it the owner. Raises the highest security version released.
     *
     * @throws dev.wasmota.contract.error.RejectedException {@link OwnershipFailure#MODULE_OWNED_BY_ANOTHER_SUPPLIER},
     *     {@link OwnershipFailure#BELOW_TRANSFER_FLOOR}; nothing changes then
     */
    Claim claim(String moduleId, String supplierId, long securityVersion, Instant at);

    /**
     * Records {@code transfer}, which must start from the current owner, at a floor above every
     * security version released so far (a release admitted since it was drafted refuses it).
     *
     * @throws dev.wasmota.contract.error.RejectedException {@link OwnershipFailure#UNKNOWN_MODULE},
     *     {@link OwnershipFailure#INVALID_TRANSFER}; nothing changes then
     */
    ModuleOwnership transfer(ModuleTransfer transfer);

    /** A claim's outcome: the ownership in force after it, and whether this claim made the owner. */
    record Claim(ModuleOwnership ownership, boolean firstOwner) {
    }
}

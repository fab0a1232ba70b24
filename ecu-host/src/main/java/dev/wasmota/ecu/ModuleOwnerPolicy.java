package dev.wasmota.ecu;

import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.ecu.slots.SlotStore;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageVerifier;
import dev.wasmota.signing.pkg.ReleaseAttributes;
import dev.wasmota.signing.pkg.VerifiedPackage;
import dev.wasmota.signing.pkg.ReleaseAttributes.ModuleOwner;
import dev.wasmota.signing.pkg.ReleaseAttributes.Transfer;
import dev.wasmota.signing.pki.TrustStore;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The vehicle's check that a package does not take a module over from its supplier: an installed
 * module is replaced only by a package from the same supplier, unless the OEM's countersignature
 * carries the transfers that lead from the installed supplier to the new one (and the package is
 * at or above the security version they start at). The installed supplier is read from the active
 * slot's manifest, verified again as of its install time. A countersigned owner statement must
 * name the package's own supplier and module.
 */
final class ModuleOwnerPolicy {
    private final SlotStore slots;
    private final Supplier<TrustStore> trust;

    ModuleOwnerPolicy(SlotStore slots, Supplier<TrustStore> trust) {
        this.slots = slots;
        this.trust = trust;
    }

    /**
     * @throws RejectedException {@link UpdateFailure#OWNER_MISMATCH}, {@link
     *     UpdateFailure#MODULE_OWNED_BY_ANOTHER_SUPPLIER} or {@link UpdateFailure#ANTI_ROLLBACK}
     */
    void check(VerifiedPackage verified) {
        Manifest m = verified.manifest();
        Optional<ModuleOwner> stated = ReleaseAttributes.moduleOwner(verified);
        stated.ifPresent(o -> requireMatches(o, m));
        Optional<String> installed = installedSupplier(m.moduleId());
        if (installed.isEmpty() || installed.get().equals(m.supplierId())) {
            return;
        }
        List<Transfer> path = stated.flatMap(o -> o.transfersSince(installed.get())).orElseThrow(() ->
                new RejectedException(UpdateFailure.MODULE_OWNED_BY_ANOTHER_SUPPLIER, "module " + m.moduleId()
                        + " is installed from supplier " + installed.get() + "; this package of it is from "
                        + m.supplierId() + ", and the OEM's countersignature carries no transfer of " + m.moduleId()
                        + " from " + installed.get() + " to " + m.supplierId()));
        Transfer last = path.get(path.size() - 1);
        long start = path.stream().mapToLong(Transfer::minSecurityVersion).max().orElseThrow();
        if (m.securityVersion() < start) {
            throw new RejectedException(UpdateFailure.ANTI_ROLLBACK, "security version " + m.securityVersion() + " of "
                    + m.moduleId() + " " + m.version() + " is below " + start + ", where the OEM's transfer from "
                    + last.from() + " to " + last.to() + " starts");
        }
    }

    private static void requireMatches(ModuleOwner o, Manifest m) {
        if (!o.moduleId().equals(m.moduleId()) || !o.supplierId().equals(m.supplierId())) {
            throw new RejectedException(UpdateFailure.OWNER_MISMATCH, "the OEM's countersignature states module "
                    + o.moduleId() + " belongs to " + o.supplierId() + "; the package is module " + m.moduleId()
                    + " from " + m.supplierId());
        }
        if (!o.consistent()) {
            throw new RejectedException(UpdateFailure.OWNER_MISMATCH, "the OEM's countersigned transfers of "
                    + m.moduleId() + " do not lead from one owner to the next and end at " + o.supplierId());
        }
    }

    /** The supplier of the module's active slot, from its manifest verified as of its install. */
    private Optional<String> installedSupplier(String moduleId) {
        Optional<ModuleState> state = slots.state(moduleId);
        if (state.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = slots.read(moduleId, state.get().active());
        Clock asInstalled = Clock.fixed(state.get().activeMetadata().installedAt(), ZoneOffset.UTC);
        return Optional.of(new PackageVerifier(trust.get().anchorsOnly(), asInstalled)
                .verify(PackageFile.fromBytes(bytes)).manifest().supplierId());
    }
}

package dev.wasmota.oem.owner;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.ReleaseAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Who owns one module id at the OEM, since when, the highest security version countersigned for
 * it (whoever owned it then), and the transfers that led to the owner, oldest first.
 *
 * @param since when the owner's first package was accepted, or when the last transfer gave it the module
 */
public record ModuleOwnership(String moduleId, String supplierId, Instant since, long highestSecurityVersion,
        List<ModuleTransfer> transfers) {
    public ModuleOwnership {
        if (moduleId == null || !Manifest.ID.matcher(moduleId).matches()
                || supplierId == null || !Manifest.ID.matcher(supplierId).matches()) {
            throw new IllegalArgumentException("module and supplier ids must be " + Manifest.ID.pattern());
        }
        Objects.requireNonNull(since, "since");
        if (highestSecurityVersion < 0 || highestSecurityVersion > Manifest.MAX_SECURITY_VERSION) {
            throw new IllegalArgumentException("highestSecurityVersion outside 0..2^32-1");
        }
        transfers = List.copyOf(transfers);
        String holder = null;
        for (ModuleTransfer t : transfers) {
            if (!t.moduleId().equals(moduleId) || (holder != null && !holder.equals(t.from()))) {
                throw new IllegalArgumentException("the transfers of " + moduleId + " do not form one chain");
            }
            holder = t.to();
        }
        if (holder != null && !holder.equals(supplierId)) {
            throw new IllegalArgumentException("the last transfer of " + moduleId + " is to " + holder + ", not to its owner "
                    + supplierId);
        }
    }

    /** A module's first owner: the supplier of the first package the intake accepted. */
    static ModuleOwnership first(String moduleId, String supplierId, long securityVersion, Instant at) {
        return new ModuleOwnership(moduleId, supplierId, at.truncatedTo(ChronoUnit.SECONDS), securityVersion, List.of());
    }

    /** The lowest security version the owner may release: where its transfer starts, 0 for the first owner. */
    public long floor() {
        return transfers.isEmpty() ? 0 : transfers.get(transfers.size() - 1).minSecurityVersion();
    }

    /**
     * Refuses a package of this module from {@code supplier} at {@code securityVersion} unless the
     * supplier owns the module and the version is at or above where its ownership starts.
     */
    public void requireAdmits(String supplier, long securityVersion) {
        if (!supplier.equals(supplierId)) {
            throw new RejectedException(OwnershipFailure.MODULE_OWNED_BY_ANOTHER_SUPPLIER, "module " + moduleId
                    + " belongs to supplier " + supplierId + " (since " + since + "); a package of it from " + supplier
                    + " is refused: only the OEM hands a module over (ota oem module transfer)");
        }
        if (securityVersion < floor()) {
            ModuleTransfer last = transfers.get(transfers.size() - 1);
            throw new RejectedException(OwnershipFailure.BELOW_TRANSFER_FLOOR, "security version " + securityVersion
                    + " of " + moduleId + " is below " + floor() + ", where its transfer from " + last.from() + " to "
                    + supplierId + " starts (every version below belongs to the former owner)");
        }
    }

    /** This ownership after a release at {@code securityVersion}. */
    ModuleOwnership released(long securityVersion) {
        return new ModuleOwnership(moduleId, supplierId, since, Math.max(highestSecurityVersion, securityVersion), transfers);
    }

    /** This ownership after {@code t}. */
    ModuleOwnership transferred(ModuleTransfer t) {
        List<ModuleTransfer> all = new ArrayList<>(transfers);
        all.add(t);
        return new ModuleOwnership(moduleId, t.to(), t.at(), highestSecurityVersion, all);
    }

    /**
     * What the countersignature states to vehicles: the owner and the transfers, each checked
     * first against the OEM release certificate.
     *
     * @throws RejectedException {@link OwnershipFailure#TRANSFER_UNVERIFIED} for a transfer that does not verify
     */
    public ReleaseAttributes.ModuleOwner statement(X509CertificateHolder releaseCert) {
        transfers.forEach(t -> t.verify(releaseCert));
        return new ReleaseAttributes.ModuleOwner(moduleId, supplierId, transfers.stream().map(ModuleTransfer::attribute)
                .toList());
    }
}

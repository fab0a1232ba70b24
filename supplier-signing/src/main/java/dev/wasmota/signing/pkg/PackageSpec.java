package dev.wasmota.signing.pkg;

import dev.wasmota.signing.manifest.CapabilitySet;
import java.util.List;
import java.util.Optional;

/**
 * What a supplier states when packaging a module; the rest of the manifest (digest, length,
 * exports) is read from the binary itself.
 *
 * @param supplierId the supplier; {@link #UNASSIGNED} lets {@code sign} take it from the certificate
 */
public record PackageSpec(
        String moduleId,
        String version,
        long securityVersion,
        String supplierId,
        CapabilitySet capabilities,
        int memoryPages,
        long deadlineUs,
        long periodMs,
        List<String> hardwareIds,
        Optional<String> sbomSha256) {

    /** Supplier id of a package built without one; signing fills in the certificate's. */
    public static final String UNASSIGNED = "unassigned";
}

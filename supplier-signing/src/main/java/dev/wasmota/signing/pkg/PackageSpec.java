package dev.wasmota.signing.pkg;

import dev.wasmota.signing.manifest.CapabilitySet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a supplier states when packaging a module; the rest of the manifest (digest, length,
 * exports) is read from the binary itself.
 *
 * @param supplierId the supplier; {@link #UNASSIGNED} lets {@code sign} take it from the certificate
 * @param tableElements the most table elements the module may hold, growth included; empty: what
 *     its tables declare at start, so they may not grow
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
        Optional<String> sbomSha256,
        OptionalLong tableElements) {

    /** Supplier id of a package built without one; signing fills in the certificate's. */
    public static final String UNASSIGNED = "unassigned";

    /** A spec whose tables may not grow past what the module declares. */
    public PackageSpec(String moduleId, String version, long securityVersion, String supplierId,
            CapabilitySet capabilities, int memoryPages, long deadlineUs, long periodMs, List<String> hardwareIds,
            Optional<String> sbomSha256) {
        this(moduleId, version, securityVersion, supplierId, capabilities, memoryPages, deadlineUs, periodMs,
                hardwareIds, sbomSha256, OptionalLong.empty());
    }

    /** This spec with room for {@code elements} table elements in all, growth included. */
    public PackageSpec withTableElements(long elements) {
        return new PackageSpec(moduleId, version, securityVersion, supplierId, capabilities, memoryPages, deadlineUs,
                periodMs, hardwareIds, sbomSha256, OptionalLong.of(elements));
    }
}

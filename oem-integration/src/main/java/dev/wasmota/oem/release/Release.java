package dev.wasmota.oem.release;

import java.time.Instant;
import java.util.Objects;

/**
 * One published release: a countersigned package the OEM may roll out, as the release store
 * records it (hawkBit's DistributionSet, for one module).
 *
 * @param moduleId the module id from the verified manifest
 * @param version the module's semantic version
 * @param securityVersion the manifest's anti-rollback security version
 * @param supplierId the supplier that signed it
 * @param wasmSha256 SHA-256 of the module binary
 * @param packageSha256 SHA-256 of the package file, the digest instructions name
 * @param report whether its integration report was kept with it
 * @param publishedAt when it was published
 */
public record Release(
        String moduleId,
        String version,
        long securityVersion,
        String supplierId,
        String wasmSha256,
        String packageSha256,
        boolean report,
        Instant publishedAt) {

    public Release {
        Objects.requireNonNull(moduleId, "moduleId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(supplierId, "supplierId");
        Objects.requireNonNull(wasmSha256, "wasmSha256");
        Objects.requireNonNull(packageSha256, "packageSha256");
        Objects.requireNonNull(publishedAt, "publishedAt");
    }

    /** The release's name, {@code MODULE@VERSION}. */
    public ReleaseId id() {
        return new ReleaseId(moduleId, version);
    }
}

package dev.wasmota.signing.pkg;

import dev.wasmota.contract.Digests;
import java.util.Arrays;
import java.util.Optional;

/**
 * A package as raw bytes: the canonical manifest, the {@code .wasm}, and the signature blob
 * (CMS SignedData with the supplier's signature and, once integrated, the OEM's
 * countersignature). Nothing here is parsed; {@link PackageVerifier} is the only way to a
 * trusted manifest.
 */
public final class ModulePackage {
    private final byte[] manifest;
    private final byte[] wasm;
    private final byte[] signature;
    private final byte[] sbom;

    public ModulePackage(byte[] manifest, byte[] wasm, Optional<byte[]> signature) {
        this(manifest, wasm, signature.orElse(null), null);
    }

    private ModulePackage(byte[] manifest, byte[] wasm, byte[] signature, byte[] sbom) {
        this.manifest = manifest.clone();
        this.wasm = wasm.clone();
        this.signature = signature == null ? null : signature.clone();
        this.sbom = sbom == null ? null : sbom.clone();
    }

    /**
     * The supplier's SBOM the package carries, unparsed (its digest is the manifest's
     * {@code sbomSha256}, which {@link PackageVerifier} checks); empty for a package without one.
     */
    public Optional<byte[]> sbom() {
        return Optional.ofNullable(sbom).map(byte[]::clone);
    }

    /** The same package carrying {@code sbomBytes} as its SBOM entry. */
    public ModulePackage withSbom(byte[] sbomBytes) {
        return new ModulePackage(manifest, wasm, signature, sbomBytes);
    }

    public byte[] manifestBytes() {
        return manifest.clone();
    }

    public byte[] wasmBytes() {
        return wasm.clone();
    }

    public Optional<byte[]> signature() {
        return Optional.ofNullable(signature).map(byte[]::clone);
    }

    /** The same manifest and module with another signature blob. */
    public ModulePackage withSignature(byte[] newSignature) {
        return new ModulePackage(manifest, wasm, newSignature, sbom);
    }

    /** SHA-256 of the package file's bytes, the package's identity on the wire and in campaigns. */
    public String sha256() {
        return Digests.sha256Hex(PackageFile.toBytes(this));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModulePackage p && Arrays.equals(manifest, p.manifest) && Arrays.equals(wasm, p.wasm)
                && Arrays.equals(signature, p.signature) && Arrays.equals(sbom, p.sbom);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(manifest) + Arrays.hashCode(wasm)) + Arrays.hashCode(signature))
                + Arrays.hashCode(sbom);
    }
}

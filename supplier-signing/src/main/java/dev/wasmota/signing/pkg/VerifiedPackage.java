package dev.wasmota.signing.pkg;

import dev.wasmota.signing.manifest.Manifest;
import java.util.Optional;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * A package whose signatures, chains and integrity have been checked: the only way to a trusted
 * {@link Manifest}. {@code release} is empty when only the supplier signature was required.
 *
 * @param pkg the package as read
 * @param manifest the parsed, authenticated manifest
 * @param supplier the supplier's signing certificate
 * @param release the OEM release certificate that countersigned, if required
 * @param releaseAttributes the countersignature's signed attributes, if countersigned
 */
public record VerifiedPackage(
        ModulePackage pkg,
        Manifest manifest,
        X509CertificateHolder supplier,
        Optional<X509CertificateHolder> release,
        Optional<AttributeTable> releaseAttributes) {

    /** The module binary, whose length and SHA-256 match the manifest. */
    public byte[] wasm() {
        return pkg.wasmBytes();
    }
}

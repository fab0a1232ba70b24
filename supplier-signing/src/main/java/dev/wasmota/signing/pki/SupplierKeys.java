package dev.wasmota.signing.pki;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** A supplier's Ed25519 signing key and the certificate request the OEM enrolls. */
public final class SupplierKeys {
    private SupplierKeys() {
    }

    /** File names written by {@link #generate}: {@code ID.key.pem} and {@code ID.csr.pem}. */
    public static Path keyFile(Path dir, String supplierId) {
        return dir.resolve(supplierId + ".key.pem");
    }

    public static Path csrFile(Path dir, String supplierId) {
        return dir.resolve(supplierId + ".csr.pem");
    }

    /** Generates a key pair and a self-signed request with {@code CN=supplierId}; writes both. */
    public static PKCS10CertificationRequest generate(String supplierId, Path dir, SecureRandom random) throws IOException {
        KeyPair keys = generate(supplierId, random);
        PKCS10CertificationRequest csr = request(supplierId, keys);
        KeyFiles.writeSecret(keyFile(dir, supplierId), Pem.encode(keys.getPrivate()));
        KeyFiles.writePublic(csrFile(dir, supplierId), Pem.encode(csr));
        return csr;
    }

    /** A key pair for {@code supplierId} without writing anything. */
    public static KeyPair generate(String supplierId, SecureRandom random) {
        if (!Manifest.ID.matcher(supplierId).matches()) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL,
                    "supplier id '" + supplierId + "' is not " + Manifest.ID.pattern());
        }
        return Crypto.generateKeyPair(random);
    }

    /** The certificate request proving possession of {@code keys}. */
    public static PKCS10CertificationRequest request(String supplierId, KeyPair keys) {
        return new JcaPKCS10CertificationRequestBuilder(CertIssuer.name(supplierId, "supplier"), keys.getPublic())
                .build(Crypto.signer(keys.getPrivate()));
    }
}

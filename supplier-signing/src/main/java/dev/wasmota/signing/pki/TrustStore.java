package dev.wasmota.signing.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The trust anchors a vehicle (or the OEM's own intake) is provisioned with: the OEM root CA
 * certificate, read from a trust directory ({@value #ROOT_FILE}).
 */
public final class TrustStore {
    public static final String ROOT_FILE = "root-ca.cert.pem";

    private final X509CertificateHolder root;

    public TrustStore(X509CertificateHolder root) {
        this.root = root;
    }

    /** Loads the trust directory written by {@code ota oem init} ({@code DIR/vehicle-trust}). */
    public static TrustStore load(Path dir) throws IOException {
        Path rootFile = dir.resolve(ROOT_FILE);
        if (!Files.isRegularFile(rootFile)) {
            throw new java.nio.file.NoSuchFileException(rootFile.toString(), null, "not a trust directory");
        }
        return new TrustStore(Pem.readCertificate(rootFile));
    }

    public X509CertificateHolder root() {
        return root;
    }
}

package dev.wasmota.signing.pki;

import java.security.PrivateKey;
import org.bouncycastle.cert.X509CertificateHolder;

/** A private key with its certificate: what a party signs with, or presents on a TLS connection. */
public record Credential(PrivateKey key, X509CertificateHolder cert) {
    @Override
    public String toString() {
        return "Credential[" + cert.getSubject() + "]";
    }
}

package dev.wasmota.signing.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.junit.jupiter.api.function.Executable;

/** Assertions the PKI tests share. */
public final class PkiTestSupport {
    private PkiTestSupport() {
    }

    public static RejectedException assertRejected(Reason reason, Executable call) {
        RejectedException e = assertThrows(RejectedException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    /** Whether {@code key} makes signatures that {@code publicKey} verifies. */
    public static void assertKeyPair(PrivateKey key, PublicKey publicKey) throws Exception {
        byte[] data = "wasmota".getBytes(StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance(Crypto.ALGORITHM, Crypto.PROVIDER);
        s.initSign(key);
        s.update(data);
        byte[] sig = s.sign();
        Signature v = Signature.getInstance(Crypto.ALGORITHM, Crypto.PROVIDER);
        v.initVerify(publicKey);
        v.update(data);
        assertTrue(v.verify(sig), "the private key does not belong to the public key");
    }

    public static PublicKey publicKey(X509CertificateHolder cert) throws Exception {
        return new JcaX509CertificateConverter().setProvider(Crypto.PROVIDER).getCertificate(cert).getPublicKey();
    }
}

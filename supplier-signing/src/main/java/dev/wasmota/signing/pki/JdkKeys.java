package dev.wasmota.signing.pki;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Moves Ed25519 keys and certificates between the product's Bouncy Castle provider and the JDK's
 * own (SunEC, SUN), which JSSE and the PKCS12 key store need.
 */
public final class JdkKeys {
    private static final byte[] PROBE = "wasmota tls key probe".getBytes(StandardCharsets.US_ASCII);

    private JdkKeys() {
    }

    /** {@code key} as a Bouncy Castle Ed25519 key, whichever provider made it. */
    public static PrivateKey ed25519(PrivateKey key) {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        if (info == null || !EdECObjectIdentifiers.id_Ed25519.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL, "TLS key is not Ed25519");
        }
        try {
            return new JcaPEMKeyConverter().setProvider(Crypto.PROVIDER).getPrivateKey(info);
        } catch (IOException e) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL, "unusable Ed25519 key: " + e.getMessage(), e);
        }
    }

    /**
     * {@code key} as PKCS#8 v1, without the optional public key Bouncy Castle adds (PKCS#8 v2,
     * RFC 5958): OpenSSL 3.0, and so Mosquitto, fails on the v2 form with "wrong tag".
     */
    public static PrivateKeyInfo pkcs8v1(PrivateKey key) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            return new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey());
        } catch (IOException e) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL, "unusable private key: " + e.getMessage(), e);
        }
    }

    /** The SunEC form of an Ed25519 key. */
    public static PrivateKey toJdk(PrivateKey key) {
        try {
            byte[] v1 = pkcs8v1(key).getEncoded();
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(v1));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the JDK does not take this Ed25519 key", e);
        }
    }

    /** The JDK (SUN provider) form of a certificate. */
    public static X509Certificate toJdk(X509CertificateHolder cert) {
        try {
            return new JcaX509CertificateConverter().getCertificate(cert);
        } catch (CertificateException e) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL,
                    "the JDK does not parse certificate '" + cert.getSubject() + "': " + e.getMessage(), e);
        }
    }

    /** Whether {@code key} is the private half of {@code cert}'s public key. */
    public static boolean matches(PrivateKey key, X509CertificateHolder cert) {
        try {
            Signature s = Signature.getInstance(Crypto.ALGORITHM, Crypto.PROVIDER);
            s.initSign(key);
            s.update(PROBE);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(Crypto.ALGORITHM, Crypto.PROVIDER);
            v.initVerify(new JcaPEMKeyConverter().setProvider(Crypto.PROVIDER).getPublicKey(cert.getSubjectPublicKeyInfo()));
            v.update(PROBE);
            return v.verify(signature);
        } catch (GeneralSecurityException | IOException e) {
            return false;
        }
    }
}

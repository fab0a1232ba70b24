package dev.wasmota.signing.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jcajce.spec.EdDSAParameterSpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * Ed25519 through one Bouncy Castle provider instance (not installed globally). Every key pair,
 * signer and verifier of the product comes from here.
 */
public final class Crypto {
    /** The provider every cryptographic operation uses. */
    public static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
    public static final String ALGORITHM = "Ed25519";

    private Crypto() {
    }

    /** A fresh Ed25519 key pair from {@code random} (inject a seeded one in tests). */
    public static KeyPair generateKeyPair(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(ALGORITHM, PROVIDER);
            g.initialize(new EdDSAParameterSpec(EdDSAParameterSpec.Ed25519), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 key generation unavailable", e);
        }
    }

    /** A content signer for {@code key}. */
    public static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(ALGORITHM).setProvider(PROVIDER).build(key);
        } catch (OperatorCreationException e) {
            throw new dev.wasmota.contract.error.RejectedException(dev.wasmota.signing.error.PolicyFailure.MALFORMED_KEY_MATERIAL,
                    "not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    /** A verifier provider for signatures by {@code cert}'s key. */
    public static ContentVerifierProvider verifier(X509CertificateHolder cert) {
        try {
            return new JcaContentVerifierProviderBuilder().setProvider(PROVIDER).build(cert);
        } catch (OperatorCreationException | java.security.cert.CertificateException e) {
            throw new IllegalArgumentException("unusable certificate key: " + e.getMessage(), e);
        }
    }
}

package dev.wasmota.protocol.tls;

import dev.wasmota.signing.pki.CertIssuer;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.Credential;
import dev.wasmota.signing.pki.CredentialDir;
import dev.wasmota.signing.pki.JdkKeys;
import dev.wasmota.signing.pki.KeyFiles;
import dev.wasmota.signing.pki.Pem;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The key, certificate chain and trust root of one TLS party of the MQTT pipeline, as PEM files
 * (for Mosquitto/OpenSSL), PKCS12 key stores (for HiveMQ) or an {@link SSLContext} (for Paho).
 * The keys stay Ed25519, the key a vehicle also signs its status reports with: JDK 17's JSSE
 * does TLS 1.3 and 1.2 with Ed25519 certificates on both sides, client authentication included,
 * and so do OpenSSL 3 and Mosquitto 2.0.11 (checked by {@code TlsMaterialTest} and
 * {@code TlsOpenSslIT}). JSSE needs the key in SunEC form, so it is converted on the way in. Its
 * PEM files are exactly a {@link CredentialDir}: what {@code ota oem issue} writes is what
 * {@code --tls DIR} reads.
 */
public final class TlsMaterial {
    public static final String KEY_FILE = CredentialDir.KEY_FILE;
    public static final String CERT_FILE = CredentialDir.CERT_FILE;
    public static final String CA_FILE = CredentialDir.CA_FILE;
    /** The alias of the key entry in {@link #keyStore(char[])}. */
    public static final String KEY_ALIAS = "key";
    /** The alias of the trusted root in {@link #trustStore()}. */
    public static final String ROOT_ALIAS = "root";

    private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

    private final PrivateKey key;
    private final List<X509CertificateHolder> chain;
    private final X509CertificateHolder trustRoot;

    private TlsMaterial(PrivateKey key, List<X509CertificateHolder> chain, X509CertificateHolder trustRoot) {
        this.key = key;
        this.chain = chain;
        this.trustRoot = trustRoot;
    }

    /**
     * The material of the party holding {@code leaf}, sending {@code intermediates} after its
     * certificate and trusting only {@code trustRoot}.
     *
     * @throws RejectedException if the key is not Ed25519 or not the key of the leaf certificate
     */
    public static TlsMaterial of(Credential leaf, List<X509CertificateHolder> intermediates,
                                 X509CertificateHolder trustRoot) {
        PrivateKey key = JdkKeys.ed25519(leaf.key());
        if (!JdkKeys.matches(key, leaf.cert())) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL,
                    "the private key does not belong to certificate '" + leaf.cert().getSubject() + "'");
        }
        List<X509CertificateHolder> chain = new ArrayList<>();
        chain.add(leaf.cert());
        chain.addAll(intermediates);
        return new TlsMaterial(key, List.copyOf(chain), trustRoot);
    }

    /**
     * Writes the material as a {@link CredentialDir} into {@code dir}: {@value #KEY_FILE} (PKCS#8 v1,
     * which OpenSSL 3.0 reads; owner-only), {@value #CERT_FILE} (leaf, then intermediates) and
     * {@value #CA_FILE}, each replaced atomically and durably.
     */
    public void writePem(Path dir) {
        try {
            credentialDir().replace(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write TLS material to " + dir, e);
        }
    }

    /** The material as the credential directory it is written as. */
    public CredentialDir credentialDir() {
        return new CredentialDir(new Credential(key, leaf()), intermediates(), trustRoot);
    }

    /**
     * Reads what {@link #writePem} (or {@link CredentialDir#writeNew}) wrote.
     *
     * @throws RejectedException naming the file if one is malformed, too large, or the key does not match
     */
    public static TlsMaterial readPem(Path dir) {
        try {
            return of(CredentialDir.read(dir));
        } catch (RejectedException e) {
            throw new RejectedException(e.reason(), dir.resolve(KEY_FILE) + " with " + dir.resolve(CERT_FILE) + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TLS material from " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The material of a credential directory; its key must be its certificate's. */
    public static TlsMaterial of(CredentialDir credential) {
        return of(credential.credential(), credential.intermediates(), credential.anchor());
    }

    /**
     * A TLS context presenting this key and chain and trusting only {@link #trustRoot()}. JSSE's
     * trust manager also insists on {@code id-kp-serverAuth} or {@code id-kp-clientAuth} in the peer's leaf.
     */
    public SSLContext sslContext() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(keyStore(IN_MEMORY_PASSWORD), IN_MEMORY_PASSWORD);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JSSE refuses the TLS material: " + e.getMessage(), e);
        }
    }

    /** A PKCS12 key store with one key entry, {@value #KEY_ALIAS}, holding the key and chain. */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore ks = emptyPkcs12();
            ks.setKeyEntry(KEY_ALIAS, JdkKeys.toJdk(key), password,
                    chain.stream().map(JdkKeys::toJdk).toArray(X509Certificate[]::new));
            return ks;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the PKCS12 key store", e);
        }
    }

    /** A PKCS12 trust store whose only entry, {@value #ROOT_ALIAS}, is the trusted root. */
    public KeyStore trustStore() {
        try {
            KeyStore ts = emptyPkcs12();
            ts.setCertificateEntry(ROOT_ALIAS, JdkKeys.toJdk(trustRoot));
            return ts;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the PKCS12 trust store", e);
        }
    }

    /** Writes {@link #keyStore} (owner-only) and {@link #trustStore}, both protected by {@code password}, e.g. for HiveMQ. */
    public void writeKeyStores(Path keyStoreFile, Path trustStoreFile, char[] password) {
        try {
            KeyFiles.replaceSecret(keyStoreFile, store(keyStore(password), password));
            KeyFiles.writePublic(trustStoreFile, store(trustStore(), password));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write key stores " + keyStoreFile + ", " + trustStoreFile, e);
        }
    }

    /** The client a peer certificate names (its CN parsed by {@link ClientKind#parse}); empty if none. */
    public static Optional<Map.Entry<ClientKind, String>> clientIdentity(X509Certificate peer) {
        if (peer == null) {
            return Optional.empty();
        }
        try {
            return CertIssuer.commonName(new X509CertificateHolder(peer.getEncoded())).flatMap(ClientKind::parse);
        } catch (CertificateEncodingException | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public X509CertificateHolder leaf() {
        return chain.get(0);
    }

    /** The certificates sent after the leaf. */
    public List<X509CertificateHolder> intermediates() {
        return chain.subList(1, chain.size());
    }

    public X509CertificateHolder trustRoot() {
        return trustRoot;
    }

    /** The Ed25519 private key (Bouncy Castle form, usable with {@link Crypto#signer}). */
    public PrivateKey key() {
        return key;
    }

    @Override
    public String toString() {
        return "TlsMaterial[" + leaf().getSubject() + ", trusting " + trustRoot.getSubject() + "]";
    }

    private static KeyStore emptyPkcs12() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return ks;
    }

    private static byte[] store(KeyStore ks, char[] password) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ks.store(out, password);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the PKCS12 store", e);
        }
        return out.toByteArray();
    }
}

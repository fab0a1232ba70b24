package dev.wasmota.signing.pki;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The certificate hierarchy every signature of the product is verified against, and the trust
 * directory it provisions vehicles with: a root CA; under it a supplier CA that issues supplier
 * certificates (carrying the capabilities a supplier may request), the release (countersigning)
 * and campaign (director) certificates, TLS client certificates (CN {@link ClientKind}, a vehicle's
 * also carrying {@link CertRole#VEHICLE}) and broker certificates; and the root-signed trust
 * updates (revocations) written into the trust directory. It holds the private keys in memory:
 * the OEM keeps them in its directory ({@code oem-integration}'s {@code OemPki}), tests build a
 * hierarchy directly.
 */
public class TrustHierarchy {
    public static final String ORG = "wasmota OEM";
    public static final String TRUST_DIR = "vehicle-trust";
    /** The CN of broker certificates (clients check the subject alternative name, not this). */
    public static final String BROKER_CN = "MQTT Broker";
    public static final Duration ROOT_VALIDITY = Duration.ofDays(20 * 365);
    public static final Duration CA_VALIDITY = Duration.ofDays(10 * 365);
    public static final Duration OEM_KEY_VALIDITY = Duration.ofDays(5 * 365);
    public static final Duration SUPPLIER_VALIDITY = Duration.ofDays(2 * 365);
    /** Validity of TLS client and broker certificates. */
    public static final Duration TLS_VALIDITY = Duration.ofDays(2 * 365);

    /** The hierarchy's own credentials. */
    public record Keys(Credential root, Credential supplierCa, Credential release, Credential campaign) {
    }

    private final Credential root;
    private final Credential supplierCa;
    private final Credential release;
    private final Credential campaign;
    private final Path trustDir;
    private final Clock clock;
    private final SecureRandom random;

    /** A hierarchy of {@code keys}, provisioning vehicles from {@code trustDir}, issuing from {@code clock} and {@code random}. */
    protected TrustHierarchy(Path trustDir, Keys keys, Clock clock, SecureRandom random) {
        this.trustDir = trustDir;
        this.root = keys.root();
        this.supplierCa = keys.supplierCa();
        this.release = keys.release();
        this.campaign = keys.campaign();
        this.clock = clock;
        this.random = random;
    }

    /**
     * A new hierarchy (fresh keys from {@code random}, certificates from {@code clock}'s now) whose
     * root is written as the trust anchor into {@code trustDir}, the directory vehicles are
     * provisioned with.
     */
    public static TrustHierarchy create(Path trustDir, Clock clock, SecureRandom random) throws IOException {
        TrustHierarchy h = new TrustHierarchy(trustDir, issueKeys(clock, random), clock, random);
        h.writeAnchor();
        return h;
    }

    /** Fresh keys and certificates: a root, the supplier CA under it, the release and campaign keys. */
    protected static Keys issueKeys(Clock clock, SecureRandom random) {
        CertIssuer issuer = new CertIssuer(random);
        Instant now = clock.instant();
        KeyPair rootKeys = Crypto.generateKeyPair(random);
        Credential root = new Credential(rootKeys.getPrivate(),
                issuer.selfSignedRoot(CertIssuer.name("OEM Root CA", ORG), rootKeys, now, ROOT_VALIDITY));
        KeyPair caKeys = Crypto.generateKeyPair(random);
        Credential supplierCa = new Credential(caKeys.getPrivate(), issuer.roleCa(root.cert(), root.key(),
                CertIssuer.name("OEM Supplier CA", ORG), caKeys.getPublic(), CertRole.SUPPLIER, now, CA_VALIDITY));
        Credential release = rootLeaf(issuer, root, "OEM Release", CertRole.RELEASE, now, random);
        Credential campaign = rootLeaf(issuer, root, "OEM Campaign Director", CertRole.CAMPAIGN, now, random);
        return new Keys(root, supplierCa, release, campaign);
    }

    /**
     * Writes the hierarchy's private keys and certificates into {@code dir} as
     * {@code root-ca}, {@code supplier-ca}, {@code release} and {@code campaign}
     * ({@code NAME.key.pem} readable by the owner only, {@code NAME.cert.pem}), as {@link #readKeys} reads them.
     */
    public void writeKeys(Path dir) throws IOException {
        writeCredential(dir, "root-ca", root);
        writeCredential(dir, "supplier-ca", supplierCa);
        writeCredential(dir, "release", release);
        writeCredential(dir, "campaign", campaign);
    }

    /**
     * The hierarchy whose keys {@link #writeKeys} wrote into {@code dir}, provisioning from
     * {@code dir/}{@value #TRUST_DIR} and issuing from {@code clock} and {@code random}.
     */
    public static TrustHierarchy load(Path dir, Clock clock, SecureRandom random) throws IOException {
        return new TrustHierarchy(dir.resolve(TRUST_DIR), readKeys(dir), clock, random);
    }

    /** The keys {@link #writeKeys} wrote into {@code dir}. */
    public static Keys readKeys(Path dir) throws IOException {
        return new Keys(read(dir, "root-ca"), read(dir, "supplier-ca"), read(dir, "release"), read(dir, "campaign"));
    }

    private static void writeCredential(Path dir, String name, Credential c) throws IOException {
        KeyFiles.writeSecret(dir.resolve(name + ".key.pem"), Pem.encode(c.key()));
        KeyFiles.writePublic(dir.resolve(name + ".cert.pem"), Pem.encode(c.cert()));
    }

    private static Credential read(Path dir, String name) throws IOException {
        return new Credential(Pem.readPrivateKey(dir.resolve(name + ".key.pem")), Pem.readCertificate(dir.resolve(name + ".cert.pem")));
    }

    /** Writes the root certificate into the trust directory, the anchor vehicles are provisioned with. */
    protected void writeAnchor() throws IOException {
        KeyFiles.writePublic(trustDir.resolve(TrustStore.ROOT_FILE), Pem.encode(root.cert()));
    }

    /**
     * Issues a supplier certificate for a proven request: the CSR must be self-signed and name
     * {@code supplierId} as its CN. {@code capabilities} is the most that supplier may request.
     */
    public X509CertificateHolder enroll(PKCS10CertificationRequest csr, String supplierId, CapabilitySet capabilities,
                                        Instant from, Duration validity, SecureRandom random) {
        if (!Manifest.ID.matcher(supplierId).matches()) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL,
                    "supplier id '" + supplierId + "' is not " + Manifest.ID.pattern());
        }
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Crypto.PROVIDER)
                    .build(csr.getSubjectPublicKeyInfo()))) {
                throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL, "certificate request signature does not verify");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL, "certificate request unusable: " + e.getMessage());
        }
        if (!csr.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().equals(
                org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed25519)) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL, "certificate request key is not Ed25519");
        }
        var cn = csr.getSubject().getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
        String csrCn = cn.length == 1 ? cn[0].getFirst().getValue().toString() : "";
        if (!supplierId.equals(csrCn)) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL,
                    "certificate request names '" + csrCn + "', not supplier '" + supplierId + "'");
        }
        return new CertIssuer(random).leaf(supplierCa.cert(), supplierCa.key(), CertIssuer.name(supplierId, "supplier"),
                csr.getSubjectPublicKeyInfo(), CertRole.SUPPLIER, Optional.of(capabilities), from, validity);
    }

    /**
     * A TLS client certificate for the MQTT broker, issued directly by the root: extended key usage
     * {@code id-kp-clientAuth}, plus {@link CertRole#VEHICLE} for a vehicle, which signs its status
     * reports with the same key. The CN is {@link ClientKind#commonName(String)}.
     */
    public X509CertificateHolder issueClient(ClientKind kind, String name, PublicKey key) {
        String cn = kind.commonName(name);
        List<KeyPurposeId> purposes = kind == ClientKind.VEHICLE
                ? List.of(KeyPurposeId.id_kp_clientAuth, CertRole.VEHICLE.purpose())
                : List.of(KeyPurposeId.id_kp_clientAuth);
        return issueTls(CertIssuer.name(cn, ORG), key, purposes, Optional.empty());
    }

    /** {@link #issueClient(ClientKind, String, PublicKey)} for a fresh Ed25519 key pair. */
    public Credential issueClient(ClientKind kind, String name) {
        kind.commonName(name);
        KeyPair keys = Crypto.generateKeyPair(random);
        return new Credential(keys.getPrivate(), issueClient(kind, name, keys.getPublic()));
    }

    /**
     * The MQTT broker's server certificate for a fresh Ed25519 key, issued directly by the root:
     * extended key usage {@code id-kp-serverAuth} and a subject alternative name listing
     * {@code dnsNames} and {@code ipAddresses} (literals such as {@code 127.0.0.1} or {@code ::1}).
     */
    public Credential issueBroker(List<String> dnsNames, List<String> ipAddresses) {
        GeneralNames san = BrokerNames.of(dnsNames, ipAddresses);
        KeyPair keys = Crypto.generateKeyPair(random);
        X509CertificateHolder cert = issueTls(CertIssuer.name(BROKER_CN, ORG), keys.getPublic(),
                List.of(KeyPurposeId.id_kp_serverAuth), Optional.of(san));
        return new Credential(keys.getPrivate(), cert);
    }

    private X509CertificateHolder issueTls(X500Name subject, PublicKey key, List<KeyPurposeId> purposes,
                                           Optional<GeneralNames> san) {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        if (!spki.getAlgorithm().getAlgorithm().equals(EdECObjectIdentifiers.id_Ed25519)) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL, "TLS key is not Ed25519");
        }
        return new CertIssuer(random).tlsLeaf(root.cert(), root.key(), subject, spki, purposes, san, clock.instant(),
                TLS_VALIDITY);
    }

    public Credential root() {
        return root;
    }

    public Credential supplierCa() {
        return supplierCa;
    }

    public Credential release() {
        return release;
    }

    public Credential campaign() {
        return campaign;
    }

    /**
     * The vehicle's trust anchors: the root, and the revocations of the trust update currently in
     * {@code vehicle-trust/} (read afresh at each call, so intake sees a revocation at once).
     */
    public TrustStore trustStore() {
        try {
            return new TrustStore(root.cert()).withStoredUpdate(trustDir());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the trust update in " + trustDir(), e);
        }
    }

    /** The trust directory: what vehicles are provisioned with. */
    public Path trustDir() {
        return trustDir;
    }

    /** The file the current trust update lives in ({@code vehicle-trust/}{@value TrustStore#UPDATE_FILE}). */
    public Path trustUpdateFile() {
        return trustDir().resolve(TrustStore.UPDATE_FILE);
    }

    /**
     * Revokes {@code keys} and {@code certificates}: signs the next trust update with the root key
     * (sequence + 1, every earlier revocation kept) and writes it durably into the trust directory. Returns it, or empty when everything given is revoked already (nothing
     * is written then). One revocation at a time per trust directory (a file lock).
     */
    public Optional<TrustUpdate> revoke(List<Revocation> keys, List<Revocation> certificates) throws IOException {
        try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(trustDir.resolveSibling(trustDir.getFileName() + ".lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock held = lock.lock()) {
            Optional<TrustUpdate> current = trustStore().update();
            TrustUpdate next = TrustUpdate.next(current, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), keys,
                    certificates);
            if (next.addedSince(current) == 0) {
                return Optional.empty();
            }
            dev.wasmota.contract.io.DurableFiles.writeAtomic(trustUpdateFile(), SignedTrustUpdate.sign(next, root));
            return Optional.of(next);
        }
    }

    private static Credential rootLeaf(CertIssuer issuer, Credential root, String cn, CertRole role, Instant now,
                                       SecureRandom random) {
        KeyPair keys = Crypto.generateKeyPair(random);
        X509CertificateHolder cert = issuer.leaf(root.cert(), root.key(), CertIssuer.name(cn, ORG),
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()),
                role, Optional.empty(), now, OEM_KEY_VALIDITY);
        return new Credential(keys.getPrivate(), cert);
    }
}

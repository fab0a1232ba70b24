package dev.wasmota.oem.pki;

import dev.wasmota.signing.pki.CertIssuer;
import dev.wasmota.signing.pki.CertRole;
import dev.wasmota.signing.pki.ChainValidator;
import dev.wasmota.signing.pki.Credential;
import dev.wasmota.signing.pki.Crypto;
import dev.wasmota.signing.pki.Pem;
import dev.wasmota.signing.pki.SupplierKeys;
import dev.wasmota.signing.pki.TrustHierarchy;
import dev.wasmota.signing.pki.TrustStore;

import static dev.wasmota.signing.pki.PkiTestSupport.assertKeyPair;
import static dev.wasmota.signing.pki.PkiTestSupport.assertRejected;
import static dev.wasmota.signing.pki.PkiTestSupport.publicKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OemPkiTest {
    static final List<String> CREDENTIALS = List.of("root-ca", "supplier-ca", "release", "campaign");
    static final CapabilitySet CAPS = CapabilitySet.parse("log,can.read:100-1ff,i2c:1:50");

    @TempDir
    Path dir;
    Path oemDir;
    OemPki oem;
    final Clock clock = Clock.fixed(Fixtures.T0, ZoneOffset.UTC);

    @BeforeEach
    void setUp() throws Exception {
        oemDir = dir.resolve("oem");
        oem = OemPki.create(oemDir, clock, Fixtures.seeded(11));
    }

    @Test
    void createWritesEveryKeyCertificateAndTheVehicleTrust() throws Exception {
        Set<String> expected = new java.util.TreeSet<>();
        for (String c : CREDENTIALS) {
            expected.add(c + ".key.pem");
            expected.add(c + ".cert.pem");
        }
        expected.add("vehicle-trust/root-ca.cert.pem");
        try (Stream<Path> files = Files.walk(oemDir)) {
            Set<String> actual = files.filter(Files::isRegularFile).map(p -> oemDir.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
            assertEquals(expected, actual, "exactly these files, no temporary leftovers");
        }
        assertEquals(oem.root().cert(), Pem.readCertificate(oemDir.resolve("vehicle-trust/root-ca.cert.pem")));
        assertEquals(oem.root().cert(), TrustStore.load(oemDir.resolve(TrustHierarchy.TRUST_DIR)).root());
        assertTrue(Files.readString(oemDir.resolve("release.key.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
    }

    @Test
    void privateKeyFilesAreReadableByTheOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        for (String c : CREDENTIALS) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(oemDir.resolve(c + ".key.pem"))), c);
        }
    }

    @Test
    void certificateFilesGetTheUsualModeNotTheKeysMode() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        String usual = PosixFilePermissions.toString(Files.getPosixFilePermissions(Files.writeString(dir.resolve("plain.txt"), "x")));
        assumeTrue(!usual.equals("rw-------"), "the umask already makes every file owner-only");
        for (String cert : new String[] {"root-ca.cert.pem", "release.cert.pem", "vehicle-trust/root-ca.cert.pem"}) {
            assertEquals(usual, PosixFilePermissions.toString(Files.getPosixFilePermissions(oemDir.resolve(cert))),
                    cert + " is public: a vehicle's provisioning or another service account reads it");
        }
    }

    @Test
    void createRefusesANonEmptyDirectory() throws Exception {
        Path busy = dir.resolve("busy");
        Files.createDirectories(busy);
        Files.writeString(busy.resolve("notes.txt"), "keep me");
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> OemPki.create(busy, clock, Fixtures.seeded(12)));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        try (Stream<Path> files = Files.list(busy)) {
            assertEquals(List.of(busy.resolve("notes.txt")), files.toList());
        }
        assertThrows(FileAlreadyExistsException.class, () -> OemPki.create(oemDir, clock, Fixtures.seeded(13)));
        assertEquals(oem.root().cert(), OemPki.load(oemDir).root().cert(), "the existing OEM is untouched");
    }

    @Test
    void createAcceptsAnExistingEmptyDirectory() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        OemPki created = OemPki.create(empty, clock, Fixtures.seeded(14));
        assertEquals(created.root().cert(), OemPki.load(empty).root().cert());
    }

    @Test
    void loadRoundTripsTheCertificatesAndKeys() throws Exception {
        OemPki loaded = OemPki.load(oemDir);
        List<Credential> original = List.of(oem.root(), oem.supplierCa(), oem.release(), oem.campaign());
        List<Credential> back = List.of(loaded.root(), loaded.supplierCa(), loaded.release(), loaded.campaign());
        for (int i = 0; i < original.size(); i++) {
            assertEquals(original.get(i).cert(), back.get(i).cert(), CREDENTIALS.get(i));
            assertKeyPair(back.get(i).key(), publicKey(back.get(i).cert()));
        }
        assertEquals(oem.trustStore().root(), loaded.trustStore().root());
    }

    @Test
    void loadRefusesAMissingDirectory() {
        assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL, () -> OemPki.load(dir.resolve("absent")));
    }

    @Test
    void createsTheHierarchy() {
        assertEquals(oem.root().cert().getSubject(), oem.root().cert().getIssuer());
        assertEquals(oem.root().cert().getSubject(), oem.supplierCa().cert().getIssuer());
        assertEquals(oem.root().cert().getSubject(), oem.release().cert().getIssuer());
        assertEquals(oem.root().cert().getSubject(), oem.campaign().cert().getIssuer());
        assertEquals(Fixtures.T0.plus(TrustHierarchy.OEM_KEY_VALIDITY), oem.release().cert().getNotAfter().toInstant());
        assertEquals(Fixtures.T0.plus(TrustHierarchy.ROOT_VALIDITY), oem.root().cert().getNotAfter().toInstant());
    }

    @Test
    void enrollIssuesACertificateCarryingTheCapabilityList() throws Exception {
        KeyPair keys = SupplierKeys.generate("acme", Fixtures.seeded(21));
        X509CertificateHolder cert = oem.enroll(SupplierKeys.request("acme", keys), "acme", CAPS, Fixtures.T0,
                TrustHierarchy.SUPPLIER_VALIDITY, Fixtures.seeded(22));
        assertEquals(CAPS, ChainValidator.permittedCapabilities(cert));
        assertTrue(cert.getExtension(CertRole.CAPABILITIES_EXTENSION).isCritical());
        assertEquals("acme", CertIssuer.commonName(cert).orElseThrow());
        assertEquals(oem.supplierCa().cert().getSubject(), cert.getIssuer());
        assertEquals(Fixtures.T0, cert.getNotBefore().toInstant());
        assertEquals(Fixtures.T0.plus(TrustHierarchy.SUPPLIER_VALIDITY), cert.getNotAfter().toInstant());
        assertEquals(keys.getPublic(), publicKey(cert));
        new ChainValidator(oem.trustStore()).validate(cert, List.of(oem.supplierCa().cert()), CertRole.SUPPLIER, Fixtures.T0);
    }

    @Test
    void enrollRefusesACsrNamingAnotherSupplier() {
        KeyPair keys = SupplierKeys.generate("globex", Fixtures.seeded(23));
        PKCS10CertificationRequest csr = SupplierKeys.request("globex", keys);
        RejectedException e = assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL,
                () -> oem.enroll(csr, "acme", CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, Fixtures.seeded(24)));
        assertTrue(e.getMessage().contains("globex") && e.getMessage().contains("acme"), e.getMessage());
    }

    @Test
    void enrollRefusesACsrWithABrokenSignature() throws Exception {
        KeyPair keys = SupplierKeys.generate("acme", Fixtures.seeded(25));
        byte[] der = SupplierKeys.request("acme", keys).getEncoded();
        der[der.length - 1] ^= 0x01;
        PKCS10CertificationRequest broken = new PKCS10CertificationRequest(der);
        RejectedException e = assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL,
                () -> oem.enroll(broken, "acme", CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, Fixtures.seeded(26)));
        assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
    }

    @Test
    void enrollRefusesACsrSignedByAnotherKey() {
        KeyPair claimed = SupplierKeys.generate("acme", Fixtures.seeded(27));
        KeyPair signing = SupplierKeys.generate("acme", Fixtures.seeded(28));
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(CertIssuer.name("acme", "supplier"),
                claimed.getPublic()).build(Crypto.signer(signing.getPrivate()));
        assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL,
                () -> oem.enroll(csr, "acme", CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, Fixtures.seeded(29)));
    }

    @Test
    void enrollRefusesANonEd25519Key() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Crypto.PROVIDER);
        g.initialize(new ECGenParameterSpec("secp256r1"), Fixtures.seeded(30));
        KeyPair ec = g.generateKeyPair();
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(CertIssuer.name("acme", "supplier"),
                ec.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Crypto.PROVIDER).build(ec.getPrivate()));
        RejectedException e = assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL,
                () -> oem.enroll(csr, "acme", CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, Fixtures.seeded(31)));
        assertTrue(e.getMessage().contains("Ed25519"), e.getMessage());
    }

    @Test
    void enrollRefusesAnInvalidSupplierId() {
        KeyPair keys = SupplierKeys.generate("acme", Fixtures.seeded(32));
        PKCS10CertificationRequest csr = SupplierKeys.request("acme", keys);
        for (String id : new String[] {"Acme", "../acme", "", "acme corp"}) {
            assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL,
                    () -> oem.enroll(csr, id, CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, Fixtures.seeded(33)));
        }
    }

    @Test
    void enrollWithAnEmptyListPermitsNothing() {
        KeyPair keys = SupplierKeys.generate("acme", Fixtures.seeded(34));
        X509CertificateHolder cert = oem.enroll(SupplierKeys.request("acme", keys), "acme", CapabilitySet.EMPTY, Fixtures.T0,
                Duration.ofDays(1), Fixtures.seeded(35));
        assertEquals(CapabilitySet.EMPTY, ChainValidator.permittedCapabilities(cert));
        assertEquals(1, ChainValidator.permittedCapabilities(cert).uncovered(CapabilitySet.parse("log")).size());
    }
}

package dev.wasmota.signing.pki;


import static dev.wasmota.signing.pki.PkiTestSupport.assertKeyPair;
import static dev.wasmota.signing.pki.PkiTestSupport.assertRejected;
import static dev.wasmota.signing.pki.PkiTestSupport.publicKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.signing.error.TrustFailure;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustHierarchyTlsTest {
    static final Instant T0 = Fixtures.T0;

    @TempDir
    static Path dir;
    static Fixtures fx;
    static TrustHierarchy oem;
    static ChainValidator validator;

    @BeforeAll
    static void setUp() {
        fx = new Fixtures(dir, 1);
        oem = fx.oem;
        validator = new ChainValidator(oem.trustStore());
    }

    @Test
    void vehicleClientCertificateCarriesClientAuthAndTheVehicleRole() throws Exception {
        Credential vehicle = oem.issueClient(ClientKind.VEHICLE, "VIN123");
        X509CertificateHolder cert = vehicle.cert();
        assertEquals(Set.of(KeyPurposeId.id_kp_clientAuth, CertRole.VEHICLE.purpose()), purposes(cert));
        assertTrue(cert.getExtension(Extension.extendedKeyUsage).isCritical());
        assertEquals("vehicle/VIN123", CertIssuer.commonName(cert).orElseThrow());
        assertEquals(oem.root().cert().getSubject(), cert.getIssuer());
        assertTrue(cert.isSignatureValid(Crypto.verifier(oem.root().cert())));
        assertTrue(KeyUsage.fromExtensions(cert.getExtensions()).hasUsages(KeyUsage.digitalSignature));
        assertFalse(BasicConstraints.fromExtensions(cert.getExtensions()).isCA());
        assertEquals(T0, cert.getNotBefore().toInstant());
        assertEquals(T0.plus(TrustHierarchy.TLS_VALIDITY), cert.getNotAfter().toInstant());
        assertKeyPair(vehicle.key(), publicKey(cert));
    }

    @Test
    void vehicleClientCertificateValidatesOnlyAsVehicle() {
        X509CertificateHolder cert = oem.issueClient(ClientKind.VEHICLE, "VIN123").cert();
        assertEquals(List.of(cert, oem.root().cert()), validator.validate(cert, List.of(), CertRole.VEHICLE, T0));
        for (CertRole role : List.of(CertRole.SUPPLIER, CertRole.RELEASE, CertRole.CAMPAIGN)) {
            assertRejected(TrustFailure.UNTRUSTED_SIGNER,
                    () -> validator.validate(cert, List.of(cert, oem.supplierCa().cert()), role, T0));
        }
    }

    @Test
    void supplierAndOemClientCertificatesCarryNoRole() {
        for (ClientKind kind : List.of(ClientKind.SUPPLIER, ClientKind.OEM)) {
            X509CertificateHolder cert = oem.issueClient(kind, "acme").cert();
            assertEquals(Set.of(KeyPurposeId.id_kp_clientAuth), purposes(cert), kind.name());
            assertEquals(kind.prefix() + "/acme", CertIssuer.commonName(cert).orElseThrow());
            assertValidatesAsNoRole(cert);
        }
    }

    @Test
    void issueClientForAGivenKeyCertifiesThatKey() throws Exception {
        KeyPair keys = Crypto.generateKeyPair(Fixtures.seeded(70));
        X509CertificateHolder cert = oem.issueClient(ClientKind.OEM, "serve-1", keys.getPublic());
        assertEquals(keys.getPublic(), publicKey(cert));
        assertEquals("oem/serve-1", CertIssuer.commonName(cert).orElseThrow());
    }

    @Test
    void issueClientRefusesNamesThatAreNotIds() {
        KeyPair keys = Crypto.generateKeyPair(Fixtures.seeded(71));
        for (String name : new String[] {"", "VIN/123", "VIN+", "VIN#", "#", "+", "vehicle/VIN1", " VIN1", "VIN1\n", "x".repeat(65), null}) {
            assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL, () -> oem.issueClient(ClientKind.VEHICLE, name));
            assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL, () -> oem.issueClient(ClientKind.OEM, name, keys.getPublic()));
        }
        assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL, () -> oem.issueClient(ClientKind.SUPPLIER, "Acme"));
    }

    @Test
    void issueClientRefusesANonEd25519Key() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Crypto.PROVIDER);
        g.initialize(new ECGenParameterSpec("secp256r1"), Fixtures.seeded(72));
        KeyPair ec = g.generateKeyPair();
        assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL, () -> oem.issueClient(ClientKind.VEHICLE, "VIN1", ec.getPublic()));
    }

    @Test
    void brokerCertificateCarriesTheAlternativeNamesAndServerAuth() {
        X509CertificateHolder cert = oem.issueBroker(List.of("localhost", "broker.oem.example"), List.of("127.0.0.1", "::1")).cert();
        assertEquals(Set.of(KeyPurposeId.id_kp_serverAuth), purposes(cert));
        GeneralNames san = GeneralNames.fromExtensions(cert.getExtensions(), Extension.subjectAlternativeName);
        List<String> names = Arrays.stream(san.getNames()).map(TrustHierarchyTlsTest::describe).toList();
        assertEquals(List.of("dns:localhost", "dns:broker.oem.example", "ip:7f000001", "ip:00000000000000000000000000000001"), names);
        assertFalse(cert.getExtension(Extension.subjectAlternativeName).isCritical());
        assertEquals(oem.root().cert().getSubject(), cert.getIssuer());
        assertEquals(Optional.empty(), CertIssuer.commonName(cert).flatMap(ClientKind::parse));
        assertValidatesAsNoRole(cert);
    }

    @Test
    void issueBrokerRefusesNamesThatAreNotLiterals() {
        assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL, () -> oem.issueBroker(List.of(), List.of()));
        assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL, () -> oem.issueBroker(List.of("local host"), List.of()));
        assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL, () -> oem.issueBroker(List.of("-bad.example"), List.of()));
        assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL, () -> oem.issueBroker(List.of(), List.of("localhost")));
        assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL, () -> oem.issueBroker(List.of(), List.of("127.0.0.256")));
    }

    @Test
    void loadedPkiIssuesFromTheGivenClock() throws Exception {
        Instant later = T0.plusSeconds(86_400);
        TrustHierarchy loaded = TrustHierarchy.load(dir.resolve("oem"), Clock.fixed(later, ZoneOffset.UTC), Fixtures.seeded(73));
        assertEquals(later, loaded.issueClient(ClientKind.VEHICLE, "VIN9").cert().getNotBefore().toInstant());
        assertEquals(later, loaded.issueBroker(List.of("localhost"), List.of()).cert().getNotBefore().toInstant());
    }

    @Test
    void clientKindNamesRoundTripThroughTheCommonName() {
        for (ClientKind kind : ClientKind.values()) {
            assertEquals(Optional.of(Map.entry(kind, "acme-1")), ClientKind.parse(kind.commonName("acme-1")));
        }
        assertEquals("vehicle/VIN123", ClientKind.VEHICLE.commonName("VIN123"));
        assertEquals(Optional.of(Map.entry(ClientKind.VEHICLE, "VIN123")), ClientKind.parse("vehicle/VIN123"));
    }

    @Test
    void clientKindParseRefusesWhatCommonNameWouldNotWrite() {
        for (String cn : new String[] {"vehicle/", "vehicle", "/VIN1", "truck/VIN1", "vehicle/VIN/1", "vehicle/VIN+",
                "vehicle/#", "Vehicle/VIN1", "vehicles/VIN1", "supplier/Acme", "OEM Release", "", null}) {
            assertEquals(Optional.empty(), ClientKind.parse(cn), String.valueOf(cn));
        }
    }

    private void assertValidatesAsNoRole(X509CertificateHolder cert) {
        for (CertRole role : CertRole.values()) {
            assertRejected(TrustFailure.UNTRUSTED_SIGNER,
                    () -> validator.validate(cert, List.of(cert, oem.supplierCa().cert()), role, T0));
        }
    }

    private static Set<KeyPurposeId> purposes(X509CertificateHolder cert) {
        return Set.of(ExtendedKeyUsage.fromExtensions(cert.getExtensions()).getUsages()).stream()
                .map(KeyPurposeId::getInstance).collect(Collectors.toSet());
    }

    private static String describe(GeneralName name) {
        return switch (name.getTagNo()) {
            case GeneralName.dNSName -> "dns:" + name.getName();
            case GeneralName.iPAddress -> "ip:" + org.bouncycastle.util.encoders.Hex.toHexString(
                    org.bouncycastle.asn1.ASN1OctetString.getInstance(name.getName()).getOctets());
            default -> "other:" + name;
        };
    }
}

package dev.wasmota.signing.pki;

import static dev.wasmota.signing.pki.PkiTestSupport.assertRejected;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.CredentialFailure;
import dev.wasmota.signing.error.PolicyFailure;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialCheckTest {
    static final Instant T0 = Fixtures.T0;
    static final String WHERE = "--tls veh-1";

    @TempDir
    static Path dir;
    static Fixtures fx;
    static Fixtures other;
    static TrustHierarchy oem;

    @BeforeAll
    static void setUp() {
        fx = new Fixtures(dir.resolve("a"), 1);
        other = new Fixtures(dir.resolve("b"), 2);
        oem = fx.oem;
    }

    private static CredentialDir vehicle(Credential c) {
        return new CredentialDir(c, List.of(), oem.root().cert());
    }

    private static void checkVehicle(CredentialDir credential, Instant at) {
        CredentialCheck.tlsClient(ClientKind.VEHICLE, "veh-1").check(credential, oem.trustStore(), at, WHERE);
    }

    @Test
    void acceptsEveryKindIssuedForItsName() {
        assertDoesNotThrow(() -> checkVehicle(vehicle(oem.issueClient(ClientKind.VEHICLE, "veh-1")), T0));
        assertDoesNotThrow(() -> CredentialCheck.tlsClient(ClientKind.OEM, "w1")
                .check(vehicle(oem.issueClient(ClientKind.OEM, "w1")), oem.trustStore(), T0, WHERE));
        assertDoesNotThrow(() -> CredentialCheck.tlsClient(ClientKind.SUPPLIER, "acme")
                .check(vehicle(oem.issueClient(ClientKind.SUPPLIER, "acme")), oem.trustStore(), T0, WHERE));
        assertDoesNotThrow(() -> CredentialCheck.broker()
                .check(vehicle(oem.issueBroker(List.of("localhost"), List.of())), oem.trustStore(), T0, WHERE));
        Credential acme = new Credential(fx.acme.keys().getPrivate(), fx.acme.chain().get(0));
        assertDoesNotThrow(() -> CredentialCheck.signer(CertRole.SUPPLIER)
                .check(acme, fx.acme.chain().subList(1, 2), Optional.of(oem.trustStore()), T0, WHERE));
    }

    @Test
    void refusesAVehicleCertificateWithoutTheVehicleRole() {
        KeyPair keys = Crypto.generateKeyPair(Fixtures.seeded(5));
        X509CertificateHolder cert = new CertIssuer(Fixtures.seeded(6)).tlsLeaf(oem.root().cert(), oem.root().key(),
                CertIssuer.name("vehicle/veh-1", TrustHierarchy.ORG), SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()),
                List.of(KeyPurposeId.id_kp_clientAuth), Optional.empty(), T0, TrustHierarchy.TLS_VALIDITY);
        var e = assertRejected(CredentialFailure.CREDENTIAL_ROLE_MISSING,
                () -> checkVehicle(vehicle(new Credential(keys.getPrivate(), cert)), T0));
        assertTrue(e.getMessage().startsWith(WHERE + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("the vehicle role (extended key usage " + CertRole.VEHICLE.purpose().getId() + ")"),
                e.getMessage());
        assertTrue(e.getMessage().contains("status report"), e.getMessage());
    }

    @Test
    void refusesAClientCertificateOfAnotherKindOrName() {
        var wrongVehicle = assertRejected(CredentialFailure.CREDENTIAL_NAME_MISMATCH,
                () -> checkVehicle(vehicle(oem.issueClient(ClientKind.VEHICLE, "veh-2")), T0));
        assertTrue(wrongVehicle.getMessage().contains("'vehicle/veh-2', not for 'vehicle/veh-1'"), wrongVehicle.getMessage());
        assertRejected(CredentialFailure.CREDENTIAL_NAME_MISMATCH, () -> CredentialCheck.tlsClient(ClientKind.OEM, "w1")
                .check(vehicle(oem.issueClient(ClientKind.OEM, "w2")), oem.trustStore(), T0, WHERE));
        assertRejected(CredentialFailure.CREDENTIAL_ROLE_MISSING, () -> CredentialCheck.broker()
                .check(vehicle(oem.issueClient(ClientKind.OEM, "w1")), oem.trustStore(), T0, WHERE));
        assertRejected(CredentialFailure.CREDENTIAL_ROLE_MISSING, () -> CredentialCheck.tlsClient(ClientKind.OEM, "w1")
                .check(vehicle(oem.issueBroker(List.of("localhost"), List.of())), oem.trustStore(), T0, WHERE));
    }

    @Test
    void refusesACredentialFromAnotherOem() {
        Credential foreign = other.oem.issueClient(ClientKind.VEHICLE, "veh-1");
        var withItsOwnAnchor = assertRejected(CredentialFailure.CREDENTIAL_UNTRUSTED,
                () -> checkVehicle(new CredentialDir(foreign, List.of(), other.oem.root().cert()), T0));
        assertTrue(withItsOwnAnchor.getMessage().contains("is not the one trusted here"), withItsOwnAnchor.getMessage());
        var withOurAnchor = assertRejected(CredentialFailure.CREDENTIAL_UNTRUSTED, () -> checkVehicle(vehicle(foreign), T0));
        assertTrue(withOurAnchor.getMessage().contains("does not chain to the trust anchor 'OEM Root CA'"),
                withOurAnchor.getMessage());
    }

    @Test
    void refusesAnExpiredCredential() {
        Credential old = issuer(T0.minus(Duration.ofDays(3 * 365))).issueClient(ClientKind.VEHICLE, "veh-1");
        var e = assertRejected(CredentialFailure.CREDENTIAL_EXPIRED, () -> checkVehicle(vehicle(old), T0));
        assertTrue(e.getMessage().contains("expired at " + old.cert().getNotAfter().toInstant()), e.getMessage());
    }

    @Test
    void refusesACredentialNotYetValid() {
        Credential future = issuer(T0.plus(Duration.ofDays(1))).issueClient(ClientKind.VEHICLE, "veh-1");
        var e = assertRejected(CredentialFailure.CREDENTIAL_NOT_YET_VALID, () -> checkVehicle(vehicle(future), T0));
        assertTrue(e.getMessage().contains("is valid only from " + T0.plus(Duration.ofDays(1))), e.getMessage());
    }

    @Test
    void refusesARevokedCredential() throws Exception {
        Fixtures own = new Fixtures(dir.resolve("revoking"), 3);
        Credential c = own.oem.issueClient(ClientKind.VEHICLE, "veh-1");
        own.oem.revoke(List.of(), List.of(new Revocation(Revocation.certificateSha256(c.cert()), "lost")));
        assertRejected(CredentialFailure.CREDENTIAL_REVOKED, () -> CredentialCheck.tlsClient(ClientKind.VEHICLE, "veh-1")
                .check(new CredentialDir(c, List.of(), own.oem.root().cert()), own.oem.trustStore(), T0, WHERE));
    }

    @Test
    void refusesAKeyThatIsNotTheCertificates() {
        Credential a = oem.issueClient(ClientKind.VEHICLE, "veh-1");
        Credential b = oem.issueClient(ClientKind.VEHICLE, "veh-1");
        assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL,
                () -> checkVehicle(vehicle(new Credential(b.key(), a.cert())), T0));
    }

    @Test
    void refusesATlsCertificateAsASupplierSigningCredential() {
        Credential tls = oem.issueClient(ClientKind.SUPPLIER, "acme");
        assertRejected(CredentialFailure.CREDENTIAL_ROLE_MISSING, () -> CredentialCheck.signer(CertRole.SUPPLIER)
                .check(tls, List.of(), Optional.of(oem.trustStore()), T0, WHERE));
        Credential acme = new Credential(fx.acme.keys().getPrivate(), fx.acme.chain().get(0));
        assertRejected(CredentialFailure.CREDENTIAL_UNTRUSTED, () -> CredentialCheck.signer(CertRole.SUPPLIER)
                .check(acme, fx.acme.chain().subList(1, 2), Optional.of(other.oem.trustStore()), T0, WHERE));
        assertRejected(CredentialFailure.CREDENTIAL_EXPIRED, () -> CredentialCheck.signer(CertRole.SUPPLIER)
                .check(acme, fx.acme.chain().subList(1, 2), Optional.empty(), T0.plus(Duration.ofDays(800)), WHERE));
    }

    private static TrustHierarchy issuer(Instant at) {
        try {
            return TrustHierarchy.load(fx.oemDir(), Clock.fixed(at, ZoneOffset.UTC), Fixtures.seeded(at.getEpochSecond()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

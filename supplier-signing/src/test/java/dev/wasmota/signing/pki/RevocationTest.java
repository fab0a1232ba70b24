package dev.wasmota.signing.pki;


import static dev.wasmota.signing.pki.PkiTestSupport.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.error.TrustUpdateFailure;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation through a trust update signed by the OEM root: what the root signs is in force, what
 * anyone else signs is refused before it is parsed, and a revoked key or certificate anywhere below
 * the root fails every chain with {@code CERTIFICATE_REVOKED}.
 */
class RevocationTest {
    @TempDir
    Path dir;
    Fixtures fx;
    X509CertificateHolder acme;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
        acme = fx.acme.chain().get(0);
    }

    TrustUpdate revokingKey(long sequence, X509CertificateHolder cert) {
        return new TrustUpdate(sequence, Fixtures.T0, List.of(new Revocation(Revocation.keySha256(cert), "key leaked")),
                List.of());
    }

    byte[] signedByRoot(TrustUpdate u) {
        return SignedTrustUpdate.sign(u, fx.oem.root());
    }

    TrustStore trustWith(TrustUpdate u) {
        return new TrustStore(fx.oem.root().cert()).withUpdate(signedByRoot(u));
    }

    @Test
    void rootSignedUpdateRoundTrips() {
        TrustUpdate u = revokingKey(1, acme);
        assertEquals(u, SignedTrustUpdate.open(signedByRoot(u), fx.oem.root().cert()));
        assertEquals(1, trustWith(u).sequence());
        assertEquals(0, fx.oem.trustStore().sequence(), "nothing revoked by default");
    }

    @Test
    void revokedLeafCertificateIsRefusedWithItsName() {
        TrustUpdate u = new TrustUpdate(1, Fixtures.T0, List.of(),
                List.of(new Revocation(Revocation.certificateSha256(acme), "mis-issued")));
        RejectedException e = assertRejected(TrustFailure.CERTIFICATE_REVOKED,
                () -> new ChainValidator(trustWith(u)).validate(acme, fx.acme.chain(), CertRole.SUPPLIER, Fixtures.T0));
        assertTrue(e.getMessage().contains("CN=acme") && e.getMessage().contains("mis-issued"), e.getMessage());
        assertEquals(3, e.exitCode().code());
    }

    @Test
    void revokedKeyRefusesACertificateReissuedForTheSameKey() {
        X509CertificateHolder reissued = fx.oem.enroll(SupplierKeys.request("acme", fx.acme.keys()), "acme",
                Fixtures.SUPPLIER_CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, Fixtures.seeded(999));
        assertFalse(reissued.equals(acme), "a new certificate");
        TrustStore trust = trustWith(revokingKey(1, acme));
        List<X509CertificateHolder> pool = List.of(reissued, fx.oem.supplierCa().cert());
        RejectedException e = assertRejected(TrustFailure.CERTIFICATE_REVOKED,
                () -> new ChainValidator(trust).validate(reissued, pool, CertRole.SUPPLIER, Fixtures.T0));
        assertTrue(e.getMessage().contains("its key"), e.getMessage());
        Fixtures.Supplier other = fx.supplier("bolt", Fixtures.SUPPLIER_CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, 31);
        new ChainValidator(trust).validate(other.chain().get(0), other.chain(), CertRole.SUPPLIER, Fixtures.T0);
    }

    @Test
    void revokedIntermediateRefusesEverySupplierBelowIt() {
        TrustStore trust = trustWith(revokingKey(1, fx.oem.supplierCa().cert()));
        RejectedException e = assertRejected(TrustFailure.CERTIFICATE_REVOKED,
                () -> new ChainValidator(trust).validate(acme, fx.acme.chain(), CertRole.SUPPLIER, Fixtures.T0));
        assertTrue(e.getMessage().contains("OEM Supplier CA"), e.getMessage());
    }

    @Test
    void packageAndInstructionVerificationHonourTheRevocations() {
        ModulePackage released = fx.released();
        TrustStore trust = trustWith(revokingKey(1, acme));
        new PackageVerifier(fx.oem.trustStore(), fx.clock).verify(released);
        assertRejected(TrustFailure.CERTIFICATE_REVOKED, () -> new PackageVerifier(trust, fx.clock).verify(released));

        Instruction i = new Instruction("ins-1", "camp-1", "vin-1", "healthy", "a".repeat(64), 1, Fixtures.T0,
                Fixtures.T0.plus(Duration.ofDays(1)), "00112233445566778899aabbccddeeff");
        byte[] signed = SignedInstruction.sign(i, fx.oem.campaign().key(), fx.oem.campaign().cert(), fx.clock);
        TrustStore campaignRevoked = trustWith(revokingKey(1, fx.oem.campaign().cert()));
        assertRejected(TrustFailure.CERTIFICATE_REVOKED, () -> SignedInstruction.open(signed, campaignRevoked, fx.clock));
    }

    @Test
    void updateSignedByTheReleaseOrCampaignKeyIsRefused() {
        TrustUpdate u = revokingKey(1, acme);
        for (Credential notRoot : List.of(fx.oem.release(), fx.oem.campaign(), fx.oem.supplierCa())) {
            RejectedException e = assertRejected(TrustFailure.UNTRUSTED_SIGNER,
                    () -> SignedTrustUpdate.open(SignedTrustUpdate.sign(u, notRoot), fx.oem.root().cert()));
            assertTrue(e.getMessage().contains("not by the OEM root"), e.getMessage());
        }
    }

    @Test
    void updateSignedByAnotherOemsRootIsRefused() {
        Fixtures other = new Fixtures(dir.resolve("other"), 2);
        byte[] foreign = SignedTrustUpdate.sign(revokingKey(1, acme), other.oem.root());
        assertRejected(TrustFailure.UNTRUSTED_SIGNER, () -> new TrustStore(fx.oem.root().cert()).withUpdate(foreign));
    }

    @Test
    void updateNamingTheRootButSignedWithAnotherKeyIsRefused() {
        Credential impostor = new Credential(fx.oem.release().key(), fx.oem.root().cert());
        byte[] forged = SignedTrustUpdate.sign(revokingKey(1, acme), impostor);
        assertRejected(TrustFailure.BAD_SIGNATURE, () -> SignedTrustUpdate.open(forged, fx.oem.root().cert()));
    }

    @Test
    void alteredContentIsRefusedBeforeParsing() {
        byte[] file = signedByRoot(revokingKey(1, acme));
        int at = Fixtures.indexOf(file, "key leaked".getBytes(StandardCharsets.US_ASCII));
        file[at] = 'K';
        assertRejected(TrustFailure.BAD_SIGNATURE, () -> SignedTrustUpdate.open(file, fx.oem.root().cert()));
        assertRejected(TrustFailure.BAD_SIGNATURE, () -> SignedTrustUpdate.open(new byte[] {1, 2, 3}, fx.oem.root().cert()));
    }

    @Test
    void oversizedFileIsRefusedBeforeParsing() {
        var e = assertRejected(TrustUpdateFailure.MALFORMED_TRUST_UPDATE,
                () -> SignedTrustUpdate.open(new byte[SignedTrustUpdate.MAX_FILE_BYTES + 1], fx.oem.root().cert()));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }

    @Test
    void rootSignedButMalformedContentIsRefusedAsMalformed() {
        byte[] file = SignedTrustUpdate.signContent("{\"format\":\"nope\"}".getBytes(StandardCharsets.UTF_8),
                Fixtures.T0, fx.oem.root());
        assertRejected(TrustUpdateFailure.MALFORMED_TRUST_UPDATE, () -> SignedTrustUpdate.open(file, fx.oem.root().cert()));
    }

    @Test
    void olderOrEqualSequenceIsARollback() {
        TrustStore at2 = trustWith(revokingKey(2, acme));
        byte[] one = signedByRoot(revokingKey(1, fx.oem.campaign().cert()));
        RejectedException e = assertRejected(TrustUpdateFailure.TRUST_UPDATE_ROLLBACK, () -> at2.withUpdate(one));
        assertTrue(e.getMessage().contains("not newer"), e.getMessage());
        assertRejected(TrustUpdateFailure.TRUST_UPDATE_ROLLBACK, () -> at2.withUpdate(signedByRoot(revokingKey(2, acme))));
        assertEquals(3, at2.withUpdate(signedByRoot(revokingKey(3, acme))).sequence());
        assertEquals(0, at2.anchorsOnly().sequence());
    }

    @Test
    void oemRevokeWritesTheNextUpdateIntoVehicleTrustKeepingEarlierOnes() throws Exception {
        TrustHierarchy pki = fx.oem;
        TrustUpdate first = pki.revoke(List.of(new Revocation(Revocation.keySha256(acme), "leak")), List.of()).orElseThrow();
        TrustUpdate second = pki.revoke(List.of(), List.of(new Revocation(Revocation.certificateSha256(
                fx.oem.campaign().cert()), "rotated"))).orElseThrow();
        assertEquals(1, first.sequence());
        assertEquals(2, second.sequence());
        assertEquals(first.revokedKeys(), second.revokedKeys());
        assertEquals(Optional.empty(), pki.revoke(List.of(new Revocation(Revocation.keySha256(acme), "again")), List.of()),
                "nothing new: nothing written");

        TrustStore loaded = TrustStore.load(dir.resolve("oem").resolve(TrustHierarchy.TRUST_DIR));
        assertEquals(Optional.of(second), loaded.update());
        assertEquals(2, fx.oem.trustStore().sequence(), "the OEM's own trust store reads the update too");
        assertArrayEquals(Files.readAllBytes(pki.trustUpdateFile()),
                Files.readAllBytes(dir.resolve("oem/vehicle-trust").resolve(TrustStore.UPDATE_FILE)));
    }

    @Test
    void storedUpdateSignedByAnotherKeyFailsTheLoad() throws Exception {
        Path trustDir = dir.resolve("oem").resolve(TrustHierarchy.TRUST_DIR);
        Files.write(trustDir.resolve(TrustStore.UPDATE_FILE), SignedTrustUpdate.sign(revokingKey(1, acme), fx.oem.release()));
        RejectedException e = assertRejected(TrustFailure.UNTRUSTED_SIGNER, () -> TrustStore.load(trustDir));
        assertTrue(e.getMessage().contains(TrustStore.UPDATE_FILE), e.getMessage());
    }
}

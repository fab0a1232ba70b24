package dev.wasmota.signing.pki;

import static dev.wasmota.signing.pki.PkiTestSupport.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainValidatorTest {
    static final Instant T0 = Fixtures.T0;

    @TempDir
    static Path dir;
    static Fixtures fx;
    static Fixtures otherOem;
    static ChainValidator validator;
    static X509CertificateHolder supplier;
    static X509CertificateHolder supplierCa;
    static List<X509CertificateHolder> pool;

    @BeforeAll
    static void setUp() {
        fx = new Fixtures(dir.resolve("a"), 1);
        otherOem = new Fixtures(dir.resolve("b"), 2);
        validator = new ChainValidator(fx.oem.trustStore());
        supplier = fx.acme.chain().get(0);
        supplierCa = fx.oem.supplierCa().cert();
        pool = fx.acme.chain();
    }

    @Test
    void supplierCertificateValidatesForSupplierThroughItsCa() {
        List<X509CertificateHolder> path = validator.validate(supplier, pool, CertRole.SUPPLIER, T0);
        assertEquals(List.of(supplier, supplierCa, fx.oem.root().cert()), path);
    }

    @Test
    void supplierCertificateDoesNotValidateForOtherRoles() {
        for (CertRole role : new CertRole[] {CertRole.RELEASE, CertRole.CAMPAIGN, CertRole.VEHICLE}) {
            RejectedException e = assertRejected(TrustFailure.UNTRUSTED_SIGNER, () -> validator.validate(supplier, pool, role, T0));
            assertTrue(e.getMessage().contains(role.name()), e.getMessage());
        }
    }

    @Test
    void releaseCertificateValidatesOnlyForRelease() {
        X509CertificateHolder release = fx.oem.release().cert();
        assertEquals(List.of(release, fx.oem.root().cert()), validator.validate(release, List.of(release), CertRole.RELEASE, T0));
        assertRejected(TrustFailure.UNTRUSTED_SIGNER, () -> validator.validate(release, List.of(release, supplierCa), CertRole.SUPPLIER, T0));
        assertRejected(TrustFailure.UNTRUSTED_SIGNER, () -> validator.validate(release, List.of(release), CertRole.CAMPAIGN, T0));
    }

    @Test
    void campaignCertificateValidatesOnlyForCampaign() {
        X509CertificateHolder campaign = fx.oem.campaign().cert();
        validator.validate(campaign, List.of(), CertRole.CAMPAIGN, T0);
        assertRejected(TrustFailure.UNTRUSTED_SIGNER, () -> validator.validate(campaign, List.of(), CertRole.RELEASE, T0));
        assertRejected(TrustFailure.UNTRUSTED_SIGNER, () -> validator.validate(campaign, pool, CertRole.SUPPLIER, T0));
    }

    @Test
    void supplierCertificateWithoutItsCaInThePoolIsUntrusted() {
        RejectedException e = assertRejected(TrustFailure.UNTRUSTED_SIGNER,
                () -> validator.validate(supplier, List.of(supplier), CertRole.SUPPLIER, T0));
        assertTrue(e.getMessage().contains("no issuer"), e.getMessage());
        assertRejected(TrustFailure.UNTRUSTED_SIGNER,
                () -> validator.validate(supplier, List.of(supplier, fx.oem.root().cert()), CertRole.SUPPLIER, T0));
    }

    @Test
    void sameNamedCaOfAnotherOemIsNotTheIssuer() {
        X509CertificateHolder foreignCa = otherOem.oem.supplierCa().cert();
        assertEquals(supplierCa.getSubject(), foreignCa.getSubject(), "fixture: both OEMs name their CA alike");
        assertRejected(TrustFailure.UNTRUSTED_SIGNER,
                () -> validator.validate(supplier, List.of(supplier, foreignCa), CertRole.SUPPLIER, T0));
    }

    @Test
    void chainOfAnotherOemIsUntrusted() {
        assertRejected(TrustFailure.UNTRUSTED_SIGNER,
                () -> validator.validate(otherOem.acme.chain().get(0), otherOem.acme.chain(), CertRole.SUPPLIER, T0));
        assertRejected(TrustFailure.UNTRUSTED_SIGNER,
                () -> validator.validate(otherOem.oem.release().cert(), List.of(), CertRole.RELEASE, T0));
    }

    @Test
    void caCertificatesAreNotSigners() {
        assertRejected(TrustFailure.UNTRUSTED_SIGNER, () -> validator.validate(supplierCa, pool, CertRole.SUPPLIER, T0));
        assertRejected(TrustFailure.UNTRUSTED_SIGNER,
                () -> validator.validate(fx.oem.root().cert(), List.of(), CertRole.RELEASE, T0));
    }

    @Test
    void supplierLeafIssuedDirectlyByTheRootIsUntrusted() {
        X509CertificateHolder direct = new CertIssuer(Fixtures.seeded(40)).leaf(fx.oem.root().cert(), fx.oem.root().key(),
                CertIssuer.name("acme", "supplier"), spki(fx.acme), CertRole.SUPPLIER,
                Optional.of(Fixtures.SUPPLIER_CAPS), T0, Duration.ofDays(30));
        assertRejected(TrustFailure.UNTRUSTED_SIGNER, () -> validator.validate(direct, List.of(direct), CertRole.SUPPLIER, T0));
        assertRejected(TrustFailure.UNTRUSTED_SIGNER,
                () -> validator.validate(direct, List.of(direct, fx.oem.root().cert()), CertRole.SUPPLIER, T0));
    }

    @Test
    void leafIssuedByAnotherLeafIsUntrusted() {
        X509CertificateHolder byRelease = new CertIssuer(Fixtures.seeded(41)).leaf(fx.oem.release().cert(),
                fx.oem.release().key(), CertIssuer.name("acme", "supplier"), spki(fx.acme), CertRole.SUPPLIER,
                Optional.of(Fixtures.SUPPLIER_CAPS), T0, Duration.ofDays(30));
        assertRejected(TrustFailure.UNTRUSTED_SIGNER,
                () -> validator.validate(byRelease, List.of(byRelease, fx.oem.release().cert()), CertRole.SUPPLIER, T0));
    }

    @Test
    void leafWithAnUnknownCriticalExtensionIsUntrusted() throws Exception {
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(supplierCa.getSubject(), BigInteger.valueOf(4242),
                Date.from(T0), Date.from(T0.plus(Duration.ofDays(30))), CertIssuer.name("acme", "supplier"), spki(fx.acme));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(CertRole.SUPPLIER.purpose()));
        b.addExtension(CertRole.CAPABILITIES_EXTENSION, true, new DERUTF8String("log"));
        X509CertificateHolder plain = b.build(Crypto.signer(fx.oem.supplierCa().key()));
        validator.validate(plain, List.of(plain, supplierCa), CertRole.SUPPLIER, T0);
        b.addExtension(CertRole.ARC.branch("77"), true, new DERUTF8String("must understand"));
        X509CertificateHolder unknown = b.build(Crypto.signer(fx.oem.supplierCa().key()));
        RejectedException e = assertRejected(TrustFailure.UNTRUSTED_SIGNER,
                () -> validator.validate(unknown, List.of(unknown, supplierCa), CertRole.SUPPLIER, T0));
        assertTrue(e.getMessage().contains("critical"), e.getMessage());
    }

    @Test
    void refusesAnOversizedPool() {
        List<X509CertificateHolder> big = new ArrayList<>(pool);
        big.addAll(Collections.nCopies(ChainValidator.MAX_POOL + 1 - big.size(), supplierCa));
        assertRejected(TrustFailure.UNTRUSTED_SIGNER, () -> validator.validate(supplier, big, CertRole.SUPPLIER, T0));
        List<X509CertificateHolder> atMax = big.subList(0, ChainValidator.MAX_POOL);
        validator.validate(supplier, atMax, CertRole.SUPPLIER, T0);
    }

    @Test
    void validAtExactlyNotAfterAndExpiredOneSecondLater() {
        Instant notAfter = supplier.getNotAfter().toInstant();
        assertEquals(T0.plus(TrustHierarchy.SUPPLIER_VALIDITY), notAfter);
        validator.validate(supplier, pool, CertRole.SUPPLIER, notAfter);
        RejectedException e = assertRejected(TrustFailure.CERTIFICATE_EXPIRED,
                () -> validator.validate(supplier, pool, CertRole.SUPPLIER, notAfter.plusSeconds(1)));
        assertTrue(e.getMessage().contains(notAfter.toString()), e.getMessage());
        assertRejected(TrustFailure.CERTIFICATE_EXPIRED,
                () -> validator.validate(supplier, pool, CertRole.SUPPLIER, notAfter.plusMillis(1)));
    }

    @Test
    void validAtExactlyNotBeforeAndNotYetValidOneSecondEarlier() {
        Instant notBefore = supplier.getNotBefore().toInstant();
        assertEquals(T0, notBefore);
        validator.validate(supplier, pool, CertRole.SUPPLIER, notBefore);
        assertRejected(TrustFailure.CERTIFICATE_NOT_YET_VALID,
                () -> validator.validate(supplier, pool, CertRole.SUPPLIER, notBefore.minusSeconds(1)));
    }

    @Test
    void expiredCaExpiresTheChainEvenWhileTheLeafIsValid() {
        Fixtures.Supplier longLived = fx.supplier("longlived", Fixtures.SUPPLIER_CAPS, T0, Duration.ofDays(20 * 365), 50);
        Instant caNotAfter = supplierCa.getNotAfter().toInstant();
        assertTrue(longLived.chain().get(0).getNotAfter().toInstant().isAfter(caNotAfter));
        validator.validate(longLived.chain().get(0), longLived.chain(), CertRole.SUPPLIER, caNotAfter);
        RejectedException e = assertRejected(TrustFailure.CERTIFICATE_EXPIRED,
                () -> validator.validate(longLived.chain().get(0), longLived.chain(), CertRole.SUPPLIER, caNotAfter.plusSeconds(1)));
        assertTrue(e.getMessage().contains("Supplier CA"), e.getMessage());
    }

    @Test
    void permittedCapabilitiesComeFromTheCertificate() {
        assertEquals(Fixtures.SUPPLIER_CAPS, ChainValidator.permittedCapabilities(supplier));
        assertEquals(CapabilitySet.EMPTY, ChainValidator.permittedCapabilities(fx.oem.release().cert()));
    }

    private static SubjectPublicKeyInfo spki(Fixtures.Supplier s) {
        return SubjectPublicKeyInfo.getInstance(s.keys().getPublic().getEncoded());
    }
}

package dev.wasmota.signing.pkg;

import dev.wasmota.signing.pki.TrustHierarchy;

import static dev.wasmota.signing.Fixtures.indexOf;
import static dev.wasmota.signing.pkg.CraftedPackages.cms;
import static dev.wasmota.signing.pkg.PackageVerifierTest.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.pki.CertRole;
import dev.wasmota.signing.pki.Crypto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageSignerTest {
    static final ASN1ObjectIdentifier COMPILED = CertRole.ARC.branch("99");
    static final String RECORD = "compiled-sha256=" + "ab".repeat(32);

    @TempDir
    Path dir;
    Fixtures fx;
    PackageSigner signer;
    PackageVerifier verifier;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
        signer = new PackageSigner(fx.clock);
        verifier = new PackageVerifier(fx.oem.trustStore(), fx.clock);
    }

    private ModulePackage unsigned(String supplierId, CapabilitySet caps) {
        return Packager.build(Fixtures.wasm("healthy_v1.wasm"), new PackageSpec("healthy", "1.0.0", 1, supplierId, caps, 1,
                2000, 10, List.of(), Optional.empty()));
    }

    @Test
    void fillsTheSupplierIdFromTheCertificateCn() {
        ModulePackage pkg = unsigned(PackageSpec.UNASSIGNED, Fixtures.HEALTHY_CAPS);
        assertEquals(PackageSpec.UNASSIGNED, ManifestCodec.parse(pkg.manifestBytes()).supplierId());
        ModulePackage signed = signer.sign(pkg, fx.acme.keys().getPrivate(), fx.acme.chain());
        Manifest m = ManifestCodec.parse(signed.manifestBytes());
        assertEquals("acme", m.supplierId());
        assertArrayEquals(pkg.wasmBytes(), signed.wasmBytes());
        assertEquals("acme", verifier.verifySupplier(signed).manifest().supplierId());
    }

    @Test
    void signsAPackageAlreadyBuiltForTheSameSupplier() {
        ModulePackage signed = signer.sign(unsigned("acme", Fixtures.HEALTHY_CAPS), fx.acme.keys().getPrivate(), fx.acme.chain());
        assertEquals("acme", verifier.verifySupplier(signed).manifest().supplierId());
    }

    @Test
    void refusesPackageBuiltForAnotherSupplier() {
        ModulePackage pkg = unsigned("globex", Fixtures.HEALTHY_CAPS);
        RejectedException e = assertRejected(TrustFailure.SUPPLIER_MISMATCH,
                () -> signer.sign(pkg, fx.acme.keys().getPrivate(), fx.acme.chain()));
        assertTrue(e.getMessage().contains("globex") && e.getMessage().contains("acme"), e.getMessage());
    }

    @Test
    void refusesToResignAnotherSuppliersSignedPackage() {
        Fixtures.Supplier globex = fx.supplier("globex", Fixtures.SUPPLIER_CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, 5);
        ModulePackage globexSigned = fx.supplierSigned(unsigned(PackageSpec.UNASSIGNED, Fixtures.HEALTHY_CAPS), globex);
        assertRejected(TrustFailure.SUPPLIER_MISMATCH,
                () -> signer.sign(globexSigned, fx.acme.keys().getPrivate(), fx.acme.chain()));
    }

    @Test
    void refusesCapabilitiesBeyondTheCertificateNamingThem() {
        ModulePackage pkg = unsigned(PackageSpec.UNASSIGNED,
                CapabilitySet.parse("log,clock,can.read:100-200,can.write:220,i2c:1:50"));
        RejectedException e = assertRejected(PolicyFailure.CAPABILITY_NOT_CERTIFIED,
                () -> signer.sign(pkg, fx.acme.keys().getPrivate(), fx.acme.chain()));
        assertTrue(e.getMessage().contains("can.read:100-200,i2c:1:50"), e.getMessage());
        assertEquals(ExitCode.POLICY, e.exitCode());
    }

    @Test
    void acceptsCapabilitiesExactlyAtTheCertificatesLimit() {
        ModulePackage pkg = unsigned(PackageSpec.UNASSIGNED, Fixtures.SUPPLIER_CAPS);
        ModulePackage signed = signer.sign(pkg, fx.acme.keys().getPrivate(), fx.acme.chain());
        assertEquals(Fixtures.SUPPLIER_CAPS, verifier.verifySupplier(signed).manifest().capabilities());
    }

    @Test
    void refusesKeyThatDoesNotMatchTheCertificate() {
        KeyPair other = Crypto.generateKeyPair(Fixtures.seeded(77));
        ModulePackage pkg = unsigned(PackageSpec.UNASSIGNED, Fixtures.HEALTHY_CAPS);
        RejectedException e = assertRejected(PolicyFailure.MALFORMED_KEY_MATERIAL,
                () -> signer.sign(pkg, other.getPrivate(), fx.acme.chain()));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void replacesAnEarlierSignature() {
        ModulePackage once = fx.supplierSigned(unsigned(PackageSpec.UNASSIGNED, Fixtures.HEALTHY_CAPS), fx.acme);
        ModulePackage released = fx.countersigned(once);
        ModulePackage again = signer.sign(released, fx.acme.keys().getPrivate(), fx.acme.chain());
        assertEquals(1, cms(again).getSignerInfos().size());
        assertEquals(0, cms(again).getSignerInfos().iterator().next().getCounterSignatures().size());
        assertRejected(TrustFailure.COUNTERSIGNATURE_MISSING, () -> verifier.verify(again));
    }

    @Test
    void countersignOfAnUnsignedPackageIsRefused() {
        ModulePackage pkg = unsigned(PackageSpec.UNASSIGNED, Fixtures.HEALTHY_CAPS);
        RejectedException e = assertRejected(TrustFailure.UNSIGNED,
                () -> signer.countersign(pkg, fx.oem.release().key(), fx.oem.release().cert()));
        assertEquals(ExitCode.TRUST, e.exitCode());
    }

    @Test
    void countersignatureCarriesExtraSignedAttributesToTheVerifiedPackage() {
        ModulePackage released = countersignedWithRecord();
        VerifiedPackage v = verifier.verify(released);
        AttributeTable attrs = v.releaseAttributes().orElseThrow();
        Attribute a = attrs.get(COMPILED);
        assertTrue(a != null, "the extra attribute is in the verified countersignature");
        assertEquals(RECORD, ASN1UTF8String.getInstance(a.getAttrValues().getObjectAt(0)).getString());
        assertEquals(fx.oem.release().cert(), v.release().orElseThrow());
    }

    @Test
    void plainCountersignatureHasNoExtraAttribute() {
        VerifiedPackage v = verifier.verify(fx.released());
        assertEquals(null, v.releaseAttributes().orElseThrow().get(COMPILED));
    }

    @Test
    void alteringAnExtraSignedAttributeBreaksVerification() {
        ModulePackage released = countersignedWithRecord();
        byte[] sig = released.signature().orElseThrow();
        byte[] needle = RECORD.getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(sig, needle);
        sig[at + needle.length - 1] = (byte) 'c';
        ModulePackage altered = released.withSignature(sig);
        RejectedException e = assertRejected(TrustFailure.BAD_SIGNATURE, () -> verifier.verify(altered));
        assertEquals(ExitCode.TRUST, e.exitCode());
        assertEquals("acme", verifier.verify(released).manifest().supplierId(), "the unaltered package still verifies");
    }

    @Test
    void countersignatureLeavesTheSupplierSignatureIntact() {
        ModulePackage supplierSigned = fx.supplierSigned(unsigned(PackageSpec.UNASSIGNED, Fixtures.HEALTHY_CAPS), fx.acme);
        ModulePackage released = fx.countersigned(supplierSigned);
        assertArrayEquals(cms(supplierSigned).getSignerInfos().iterator().next().getSignature(),
                cms(released).getSignerInfos().iterator().next().getSignature());
        assertArrayEquals(supplierSigned.manifestBytes(), released.manifestBytes());
        assertFalse(verifier.verifySupplier(supplierSigned).release().isPresent());
        assertTrue(verifier.verify(released).release().isPresent());
    }

    private ModulePackage countersignedWithRecord() {
        ModulePackage supplierSigned = fx.supplierSigned(unsigned(PackageSpec.UNASSIGNED, Fixtures.HEALTHY_CAPS), fx.acme);
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new Attribute(COMPILED, new DERSet(new DERUTF8String(RECORD))));
        return signer.countersign(supplierSigned, fx.oem.release().key(), fx.oem.release().cert(), new AttributeTable(v));
    }
}

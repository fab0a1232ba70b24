package dev.wasmota.signing.pkg;

import dev.wasmota.signing.pki.TrustHierarchy;

import static dev.wasmota.signing.Fixtures.indexOf;
import static dev.wasmota.signing.pkg.CraftedPackages.cms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.util.CollectionStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageVerifierTest {
    @TempDir
    Path dir;
    Fixtures fx;
    PackageVerifier verifier;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
        verifier = new PackageVerifier(fx.oem.trustStore(), fx.clock);
    }

    @Test
    void acceptsReleasedPackageAndReturnsItsManifest() {
        VerifiedPackage v = verifier.verify(fx.released());
        assertEquals("healthy", v.manifest().moduleId());
        assertEquals("acme", v.manifest().supplierId());
        assertTrue(v.release().isPresent());
        assertEquals(Fixtures.HEALTHY_CAPS, v.manifest().capabilities());
    }

    @Test
    void roundTripsThroughTheFileFormat() {
        ModulePackage pkg = fx.released();
        ModulePackage read = PackageFile.fromBytes(PackageFile.toBytes(pkg));
        assertEquals(pkg, read);
        assertEquals("1.0.0", verifier.verify(read).manifest().version());
    }

    @Test
    void rejectsUnsignedPackage() {
        assertRejected(TrustFailure.UNSIGNED, () -> verifier.verify(fx.unsignedHealthy("1.0.0", "healthy_v1.wasm")));
    }

    @Test
    void rejectsSupplierOnlyPackageAsMissingCountersignature() {
        ModulePackage supplierOnly = fx.supplierSigned(fx.unsignedHealthy("1.0.0", "healthy_v1.wasm"), fx.acme);
        RejectedException e = assertRejected(TrustFailure.COUNTERSIGNATURE_MISSING, () -> verifier.verify(supplierOnly));
        assertEquals("missing OEM countersignature", e.getMessage());
        assertEquals(ExitCode.TRUST, e.exitCode());
        assertEquals("acme", verifier.verifySupplier(supplierOnly).manifest().supplierId());
    }

    @Test
    void rejectsFlippedByteInSignatureValue() {
        ModulePackage pkg = fx.released();
        byte[] sig = pkg.signature().orElseThrow();
        SignerInformation s = cms(pkg).getSignerInfos().iterator().next();
        int at = indexOf(sig, s.getSignature());
        sig[at + 5] ^= 0x01;
        assertRejected(TrustFailure.BAD_SIGNATURE, () -> verifier.verify(pkg.withSignature(sig)));
    }

    @Test
    void rejectsGarbageSignatureBlob() {
        ModulePackage pkg = fx.released().withSignature(new byte[] {0x30, 0x03, 1, 2, 3});
        assertRejected(TrustFailure.BAD_SIGNATURE, () -> verifier.verify(pkg));
    }

    @Test
    void rejectsSignerFromAnotherOem() throws Exception {
        Fixtures other = new Fixtures(dir.resolve("other"), 2);
        ModulePackage foreign = other.countersigned(other.supplierSigned(other.unsignedHealthy("1.0.0", "healthy_v1.wasm"), other.acme));
        assertRejected(TrustFailure.UNTRUSTED_SIGNER, () -> verifier.verify(foreign));
    }

    @Test
    void rejectsReleaseKeyUsedAsSupplierKey() {
        ModulePackage pkg = fx.unsignedHealthy("1.0.0", "healthy_v1.wasm");
        ModulePackage bySelf = new PackageSigner(fx.clock).signManifestBytes(pkg, fx.oem.release().key(),
                List.of(fx.oem.release().cert()));
        assertRejected(TrustFailure.UNTRUSTED_SIGNER, () -> verifier.verifySupplier(bySelf));
    }

    @Test
    void rejectsCountersignatureBySupplierInsteadOfReleaseKey() {
        Fixtures.Supplier evil = fx.supplier("evil", Fixtures.SUPPLIER_CAPS, Fixtures.T0, TrustHierarchy.SUPPLIER_VALIDITY, 7);
        ModulePackage signed = fx.supplierSigned(fx.unsignedHealthy("1.0.0", "healthy_v1.wasm"), fx.acme);
        ModulePackage counter = new PackageSigner(fx.clock).countersign(signed, evil.keys().getPrivate(), evil.chain().get(0));
        assertRejected(TrustFailure.UNTRUSTED_SIGNER, () -> verifier.verify(counter));
    }

    @Test
    void rejectsExpiredSupplierCertificate() {
        ModulePackage pkg = fx.released();
        Clock later = Clock.fixed(Fixtures.T0.plus(TrustHierarchy.SUPPLIER_VALIDITY).plusSeconds(1), ZoneOffset.UTC);
        assertRejected(TrustFailure.CERTIFICATE_EXPIRED, () -> new PackageVerifier(fx.oem.trustStore(), later).verify(pkg));
    }

    @Test
    void rejectsCertificateNotYetValid() {
        Fixtures.Supplier future = fx.supplier("future", Fixtures.SUPPLIER_CAPS, Fixtures.T0.plus(Duration.ofDays(30)),
                TrustHierarchy.SUPPLIER_VALIDITY, 9);
        ModulePackage pkg = fx.countersigned(new PackageSigner(Clock.fixed(Fixtures.T0.plus(Duration.ofDays(31)), ZoneOffset.UTC))
                .sign(fx.unsignedHealthy("1.0.0", "healthy_v1.wasm"), future.keys().getPrivate(), future.chain()));
        assertRejected(TrustFailure.CERTIFICATE_NOT_YET_VALID, () -> verifier.verify(pkg));
    }

    @Test
    void rejectsFlippedByteInModule() {
        ModulePackage pkg = fx.released();
        byte[] wasm = pkg.wasmBytes();
        wasm[wasm.length - 3] ^= 0x40;
        ModulePackage tampered = new ModulePackage(pkg.manifestBytes(), wasm, pkg.signature());
        assertRejected(TrustFailure.DIGEST_MISMATCH, () -> verifier.verify(tampered));
    }

    @Test
    void rejectsModuleOfAnotherLength() {
        ModulePackage pkg = fx.released();
        byte[] wasm = java.util.Arrays.copyOf(pkg.wasmBytes(), pkg.wasmBytes().length + 1);
        ModulePackage tampered = new ModulePackage(pkg.manifestBytes(), wasm, pkg.signature());
        assertRejected(TrustFailure.LENGTH_MISMATCH, () -> verifier.verify(tampered));
    }

    @Test
    void rejectsManifestSwappedFromAnotherPackage() {
        ModulePackage v1 = fx.released();
        ModulePackage v2 = fx.countersigned(fx.supplierSigned(fx.unsignedHealthy("2.0.0", "healthy_v2.wasm"), fx.acme));
        ModulePackage swapped = new ModulePackage(v2.manifestBytes(), v2.wasmBytes(), v1.signature());
        assertRejected(TrustFailure.MANIFEST_MISMATCH, () -> verifier.verify(swapped));
    }

    @Test
    void rejectsCountersignatureOverAnotherSupplierSignature() throws Exception {
        ModulePackage v1 = fx.released();
        ModulePackage v2 = fx.supplierSigned(fx.unsignedHealthy("2.0.0", "healthy_v2.wasm"), fx.acme);
        SignerInformation v1Signer = cms(v1).getSignerInfos().iterator().next();
        CMSSignedData v2Cms = cms(v2);
        SignerInformation grafted = SignerInformation.addCounterSigners(v2Cms.getSignerInfos().iterator().next(),
                v1Signer.getCounterSignatures());
        CMSSignedData out = CMSSignedData.replaceSigners(v2Cms, new SignerInformationStore(grafted));
        Collection<X509CertificateHolder> certs = new ArrayList<>(out.getCertificates().getMatches(null));
        certs.add(fx.oem.release().cert());
        out = CMSSignedData.replaceCertificatesAndCRLs(out, new CollectionStore<>(certs), null, null);
        ModulePackage forged = v2.withSignature(out.getEncoded("DER"));
        assertRejected(TrustFailure.COUNTERSIGNATURE_MISMATCH, () -> verifier.verify(forged));
    }

    @Test
    void rejectsCapabilitiesBeyondTheSupplierCertificate() {
        ModulePackage pkg = fx.unsignedHealthy("1.0.0", "healthy_v1.wasm");
        Manifest m = ManifestCodec.parse(pkg.manifestBytes());
        Manifest greedy = new Manifest(m.moduleId(), m.version(), m.securityVersion(), "acme", m.wasmSha256(),
                m.wasmLength(), m.exports(), CapabilitySet.parse("log,clock,can.read:120,can.write:220,i2c:1:50"),
                m.memoryPages(), m.resources(), m.deadlineUs(), m.periodMs(), m.hardwareIds(), m.sbomSha256());
        ModulePackage raw = new ModulePackage(ManifestCodec.canonicalBytes(greedy), pkg.wasmBytes(), Optional.empty());
        ModulePackage signed = fx.countersigned(new PackageSigner(fx.clock).signManifestBytes(raw,
                fx.acme.keys().getPrivate(), fx.acme.chain()));
        RejectedException e = assertRejected(PolicyFailure.CAPABILITY_NOT_CERTIFIED, () -> verifier.verify(signed));
        assertTrue(e.getMessage().contains("i2c:1:50"), e.getMessage());
        assertEquals(ExitCode.POLICY, e.exitCode());
    }

    @Test
    void rejectsManifestNamingAnotherSupplier() {
        ModulePackage pkg = fx.unsignedHealthy("1.0.0", "healthy_v1.wasm");
        Manifest m = ManifestCodec.parse(pkg.manifestBytes());
        Manifest other = new Manifest(m.moduleId(), m.version(), m.securityVersion(), "globex", m.wasmSha256(),
                m.wasmLength(), m.exports(), m.capabilities(), m.memoryPages(), m.resources(), m.deadlineUs(), m.periodMs(),
                m.hardwareIds(), m.sbomSha256());
        ModulePackage raw = new ModulePackage(ManifestCodec.canonicalBytes(other), pkg.wasmBytes(), Optional.empty());
        ModulePackage signed = fx.countersigned(new PackageSigner(fx.clock).signManifestBytes(raw,
                fx.acme.keys().getPrivate(), fx.acme.chain()));
        assertRejected(TrustFailure.SUPPLIER_MISMATCH, () -> verifier.verify(signed));
    }

    static RejectedException assertRejected(Reason reason, org.junit.jupiter.api.function.Executable call) {
        RejectedException e = assertThrows(RejectedException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }
}

package dev.wasmota.signing.pkg;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Capability;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.pki.CertIssuer;
import dev.wasmota.signing.pki.ChainValidator;
import java.util.stream.Collectors;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.pki.Crypto;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.CollectionStore;

/**
 * Makes the two signatures: the supplier's CMS SignedData (detached, over the canonical
 * manifest, which binds the binary by digest and length) and the OEM's RFC 5652
 * countersignature over the supplier's signature value. Signing times come from the injected
 * clock.
 */
public final class PackageSigner {
    private final Clock clock;

    public PackageSigner(Clock clock) {
        this.clock = clock;
    }

    /**
     * Signs a package as its supplier: the manifest's supplier becomes the certificate's CN (a
     * package built for another supplier is refused), requested capabilities must lie within the
     * certificate's, and the key must match the certificate. Replaces any earlier signature.
     *
     * @param chain the signing certificate first, then its issuing CA (carried in the signature)
     */
    public ModulePackage sign(ModulePackage pkg, PrivateKey key, List<X509CertificateHolder> chain) {
        X509CertificateHolder cert = chain.get(0);
        String cn = CertIssuer.commonName(cert).orElseThrow(() ->
                new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL, "certificate has no single CN"));
        Manifest draft = ManifestCodec.parse(pkg.manifestBytes());
        if (!draft.supplierId().equals(PackageSpec.UNASSIGNED) && !draft.supplierId().equals(cn)) {
            throw new RejectedException(TrustFailure.SUPPLIER_MISMATCH,
                    "package was built for supplier '" + draft.supplierId() + "'; the certificate is for '" + cn + "'");
        }
        List<Capability> beyond = ChainValidator.permittedCapabilities(cert).uncovered(draft.capabilities());
        if (!beyond.isEmpty()) {
            throw new RejectedException(PolicyFailure.CAPABILITY_NOT_CERTIFIED, "capabilities "
                    + beyond.stream().map(Capability::canonical).collect(Collectors.joining(","))
                    + " are beyond what the certificate of '" + cn + "' permits");
        }
        Manifest signed = new Manifest(draft.moduleId(), draft.version(), draft.securityVersion(), cn,
                draft.wasmSha256(), draft.wasmLength(), draft.exports(), draft.capabilities(), draft.memoryPages(),
                draft.resources(), draft.deadlineUs(), draft.periodMs(), draft.hardwareIds(), draft.sbomSha256());
        ModulePackage unsigned = new ModulePackage(ManifestCodec.canonicalBytes(signed), pkg.wasmBytes(),
                java.util.Optional.empty());
        if (pkg.sbom().isPresent()) {
            unsigned = unsigned.withSbom(pkg.sbom().get());
        }
        ModulePackage out = signManifestBytes(unsigned, key, chain);
        requireKeyMatches(out, cert);
        return out;
    }

    /** Signs the manifest bytes as they are, without any check (tests craft attacks with it). */
    ModulePackage signManifestBytes(ModulePackage pkg, PrivateKey key, List<X509CertificateHolder> chain) {
        try {
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(signerInfo(key, chain.get(0), new AttributeTable(new ASN1EncodableVector())));
            gen.addCertificates(new CollectionStore<>(chain));
            CMSSignedData cms = gen.generate(new CMSProcessableByteArray(pkg.manifestBytes()), false);
            return pkg.withSignature(cms.getEncoded("DER"));
        } catch (CMSException | java.io.IOException e) {
            throw new IllegalStateException("CMS signing failed: " + e.getMessage(), e);
        }
    }

    private static void requireKeyMatches(ModulePackage pkg, X509CertificateHolder cert) {
        try {
            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(pkg.manifestBytes()), pkg.signature().orElseThrow());
            SignerInformation s = cms.getSignerInfos().iterator().next();
            if (!s.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Crypto.PROVIDER).build(cert))) {
                throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL, "the private key does not match the certificate");
            }
        } catch (CMSException | OperatorCreationException | java.security.cert.CertificateException e) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL, "the private key does not match the certificate");
        }
    }

    /** Countersigns the supplier signature of {@code pkg} with the OEM release key. */
    public ModulePackage countersign(ModulePackage pkg, PrivateKey releaseKey, X509CertificateHolder releaseCert) {
        return countersign(pkg, releaseKey, releaseCert, new AttributeTable(new ASN1EncodableVector()));
    }

    /**
     * Countersigns with extra signed attributes in the countersignature (e.g. the OEM's record of
     * the compiled output), bound by the OEM signature.
     */
    public ModulePackage countersign(ModulePackage pkg, PrivateKey releaseKey, X509CertificateHolder releaseCert,
                                     AttributeTable extraSignedAttributes) {
        byte[] sig = pkg.signature().orElseThrow(() ->
                new RejectedException(TrustFailure.UNSIGNED, "package has no supplier signature to countersign"));
        try {
            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(pkg.manifestBytes()), sig);
            SignerInformationStore signers = cms.getSignerInfos();
            if (signers.size() != 1) {
                throw new RejectedException(TrustFailure.BAD_SIGNATURE, "expected one supplier signature, found " + signers.size());
            }
            SignerInformation supplier = signers.iterator().next();
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(signerInfo(releaseKey, releaseCert, extraSignedAttributes));
            SignerInformation withCounter = SignerInformation.addCounterSigners(supplier, gen.generateCounterSigners(supplier));
            CMSSignedData out = CMSSignedData.replaceSigners(cms, new SignerInformationStore(withCounter));
            Collection<X509CertificateHolder> certs = new ArrayList<>(cms.getCertificates().getMatches(null));
            certs.add(releaseCert);
            out = CMSSignedData.replaceCertificatesAndCRLs(out, new CollectionStore<>(certs), null, null);
            return pkg.withSignature(out.getEncoded("DER"));
        } catch (CMSException | java.io.IOException e) {
            throw new RejectedException(TrustFailure.BAD_SIGNATURE, "supplier signature is not CMS SignedData: " + e.getMessage());
        }
    }

    private SignerInfoGenerator signerInfo(PrivateKey key, X509CertificateHolder cert, AttributeTable extra) {
        ASN1EncodableVector attrs = extra.toASN1EncodableVector();
        attrs.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(clock.instant())))));
        try {
            return new org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(Crypto.PROVIDER).build())
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attrs)))
                    .build(Crypto.signer(key), cert);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no digest provider: " + e.getMessage(), e);
        }
    }
}

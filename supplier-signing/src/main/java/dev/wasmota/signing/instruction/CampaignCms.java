package dev.wasmota.signing.instruction;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.pki.CertRole;
import dev.wasmota.signing.pki.ChainValidator;
import dev.wasmota.signing.pki.Crypto;
import dev.wasmota.signing.pki.TrustStore;
import java.io.IOException;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.CollectionStore;

/**
 * The one envelope of what the OEM's campaign (director) key signs for a vehicle: CMS SignedData
 * (Ed25519) encapsulating canonical JSON, the signer's certificate inside. Campaign instructions
 * ({@link SignedInstruction}) and operators' shadow commands ({@link SignedShadowCommand}) use it;
 * the content is returned only once the signature and the campaign chain verified.
 */
final class CampaignCms {
    private CampaignCms() {
    }

    static byte[] sign(byte[] content, PrivateKey campaignKey, X509CertificateHolder campaignCert, Clock clock) {
        try {
            ASN1EncodableVector attrs = new ASN1EncodableVector();
            attrs.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(clock.instant())))));
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(Crypto.PROVIDER).build())
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attrs)))
                    .build(Crypto.signer(campaignKey), campaignCert));
            gen.addCertificates(new CollectionStore<>(List.of(campaignCert)));
            return gen.generate(new CMSProcessableByteArray(content), true).getEncoded("DER");
        } catch (CMSException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot sign with the campaign key: " + e.getMessage(), e);
        }
    }

    /**
     * The signed content of {@code file} ({@code what} names it in refusals), once its one Ed25519
     * signature verified under a campaign certificate that chains to {@code trust} at
     * {@code clock}'s time; the size is checked before anything is parsed.
     */
    static byte[] open(byte[] file, int maxFileBytes, String what, TrustStore trust, Clock clock) {
        try {
            return verified(file, maxFileBytes, what, trust, clock);
        } catch (RejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RejectedException(TrustFailure.BAD_SIGNATURE, what + " signature structure is malformed: " + e);
        }
    }

    private static byte[] verified(byte[] file, int maxFileBytes, String what, TrustStore trust, Clock clock) {
        if (file.length > maxFileBytes) {
            throw new RejectedException(InstructionFailure.MALFORMED_INSTRUCTION,
                    what + " file of " + file.length + " bytes exceeds " + maxFileBytes);
        }
        CMSSignedData cms;
        try {
            cms = new CMSSignedData(file);
        } catch (CMSException | RuntimeException e) {
            throw new RejectedException(TrustFailure.BAD_SIGNATURE, what + " is not CMS SignedData");
        }
        if (cms.getSignerInfos().size() != 1 || !(cms.getSignedContent() != null
                && cms.getSignedContent().getContent() instanceof byte[])) {
            throw new RejectedException(TrustFailure.BAD_SIGNATURE, what + " must carry one signature over its content");
        }
        SignerInformation signer = cms.getSignerInfos().iterator().next();
        if (!EdECObjectIdentifiers.id_Ed25519.getId().equals(signer.getEncryptionAlgOID())) {
            throw new RejectedException(TrustFailure.BAD_SIGNATURE, what + " signature is not Ed25519");
        }
        Collection<X509CertificateHolder> pool = cms.getCertificates().getMatches(null);
        X509CertificateHolder cert = pool.stream().filter(c -> signer.getSID().match(c)).findFirst()
                .orElseThrow(() -> new RejectedException(TrustFailure.UNTRUSTED_SIGNER, what + " signer's certificate missing"));
        new ChainValidator(trust).validate(cert, pool, CertRole.CAMPAIGN, clock.instant());
        try {
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Crypto.PROVIDER).build(cert))) {
                throw new RejectedException(TrustFailure.BAD_SIGNATURE, what + " signature does not verify");
            }
        } catch (CMSException | OperatorCreationException | java.security.cert.CertificateException e) {
            throw new RejectedException(TrustFailure.BAD_SIGNATURE, what + " signature does not verify");
        }
        return (byte[]) cms.getSignedContent().getContent();
    }
}

package dev.wasmota.oem.evidence;

import dev.wasmota.signing.pki.CertRole;
import dev.wasmota.signing.pki.ChainValidator;
import dev.wasmota.signing.pki.Credential;
import dev.wasmota.signing.pki.Crypto;
import dev.wasmota.signing.pki.TrustStore;
import java.io.IOException;
import java.time.Instant;
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
 * The OEM's signature over an evidence bundle's manifest: CMS SignedData, detached, Ed25519, by the
 * campaign (director) key whose certificate it carries; it verifies against the OEM root alone.
 */
final class EvidenceSignature {
    private EvidenceSignature() {
    }

    static byte[] sign(byte[] content, Credential signer, Instant at) {
        try {
            ASN1EncodableVector attrs = new ASN1EncodableVector();
            attrs.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(at)))));
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(Crypto.PROVIDER).build())
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attrs)))
                    .build(Crypto.signer(signer.key()), signer.cert()));
            gen.addCertificates(new CollectionStore<>(List.of(signer.cert())));
            return gen.generate(new CMSProcessableByteArray(content), false).getEncoded("DER");
        } catch (CMSException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot sign the evidence manifest: " + e.getMessage(), e);
        }
    }

    /**
     * Checks {@code signature} over {@code content}: one Ed25519 signer, its certificate a campaign
     * key's chaining to {@code trust}'s root at {@code at}. Returns the signer's subject, or throws
     * {@link IllegalArgumentException} saying why not.
     */
    static String verify(byte[] content, byte[] signature, TrustStore trust, Instant at) {
        try {
            CMSSignedData cms = new CMSSignedData(new CMSProcessableByteArray(content), signature);
            if (cms.getSignerInfos().size() != 1) {
                throw new IllegalArgumentException("the signature has " + cms.getSignerInfos().size() + " signers, not one");
            }
            SignerInformation s = cms.getSignerInfos().iterator().next();
            if (!EdECObjectIdentifiers.id_Ed25519.getId().equals(s.getEncryptionAlgOID())) {
                throw new IllegalArgumentException("the signature is not Ed25519");
            }
            Collection<X509CertificateHolder> pool = cms.getCertificates().getMatches(null);
            X509CertificateHolder cert = pool.stream().filter(c -> s.getSID().match(c)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the signer's certificate is not carried"));
            new ChainValidator(trust).validate(cert, pool, CertRole.CAMPAIGN, at);
            if (!s.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Crypto.PROVIDER).build(cert))) {
                throw new IllegalArgumentException("the signature does not verify");
            }
            return cert.getSubject().toString();
        } catch (CMSException | OperatorCreationException | java.security.cert.CertificateException e) {
            throw new IllegalArgumentException("the signature does not verify: " + firstLine(e.getMessage()));
        } catch (dev.wasmota.contract.error.RejectedException e) {
            throw new IllegalArgumentException("the signer's certificate does not chain to the OEM root: " + e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException("the signature is malformed: " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}

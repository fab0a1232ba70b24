package dev.wasmota.signing.pki;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import java.io.IOException;
import java.util.Date;
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

/**
 * A trust update as a file: CMS SignedData (Ed25519) encapsulating the canonical JSON, signed by
 * the OEM ROOT key itself, with no certificates carried. {@link #open} checks the size, then that
 * the signer is the trust store's root certificate and the signature verifies with the root's key,
 * and only then parses the JSON. An update signed by any other key (the release or campaign key,
 * another OEM's root) is refused.
 */
public final class SignedTrustUpdate {
    /** Largest trust update file accepted, checked before parsing. */
    public static final int MAX_FILE_BYTES = TrustUpdateCodec.MAX_BYTES + 4 * 1024;

    private SignedTrustUpdate() {
    }

    /** Signs {@code update} with the OEM root credential; returns the file bytes. */
    public static byte[] sign(TrustUpdate update, Credential root) {
        return signContent(TrustUpdateCodec.canonicalBytes(update), update.issuedAt(), root);
    }

    /** Signs {@code content} as a trust update's content (tests craft malformed content with it). */
    static byte[] signContent(byte[] content, java.time.Instant signingTime, Credential root) {
        try {
            ASN1EncodableVector attrs = new ASN1EncodableVector();
            attrs.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(signingTime)))));
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(Crypto.PROVIDER).build())
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attrs)))
                    .build(Crypto.signer(root.key()), root.cert()));
            return gen.generate(new CMSProcessableByteArray(content), true).getEncoded("DER");
        } catch (CMSException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot sign trust update: " + e.getMessage(), e);
        }
    }

    /**
     * Verifies {@code file} against {@code root} (the trust store's root certificate), then parses.
     *
     * @throws RejectedException {@link TrustFailure#UNTRUSTED_SIGNER} or {@link TrustFailure#BAD_SIGNATURE}
     *     for a signature that is not the root's, {@code MALFORMED_TRUST_UPDATE} for bad content
     */
    public static TrustUpdate open(byte[] file, X509CertificateHolder root) {
        try {
            return verified(file, root);
        } catch (RejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw bad("trust update signature structure is malformed: " + e);
        }
    }

    /** {@link #open}, letting Bouncy Castle's unchecked exceptions for malformed structures through to its one catch. */
    private static TrustUpdate verified(byte[] file, X509CertificateHolder root) {
        if (file.length > MAX_FILE_BYTES) {
            throw Revocation.malformed("trust update file of " + file.length + " bytes exceeds " + MAX_FILE_BYTES);
        }
        CMSSignedData cms;
        try {
            cms = new CMSSignedData(file);
        } catch (CMSException | RuntimeException e) {
            throw bad("trust update is not CMS SignedData");
        }
        if (cms.getSignerInfos().size() != 1 || cms.getSignedContent() == null
                || !(cms.getSignedContent().getContent() instanceof byte[] content)) {
            throw bad("trust update must carry one signature over its content");
        }
        SignerInformation signer = cms.getSignerInfos().iterator().next();
        if (!EdECObjectIdentifiers.id_Ed25519.getId().equals(signer.getEncryptionAlgOID())) {
            throw bad("trust update signature is not Ed25519");
        }
        if (!signer.getSID().match(root)) {
            throw new RejectedException(TrustFailure.UNTRUSTED_SIGNER, "trust update is signed by "
                    + signerName(cms, signer) + ", not by the OEM root '" + root.getSubject() + "'");
        }
        try {
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Crypto.PROVIDER).build(root))) {
                throw bad("trust update signature does not verify with the OEM root's key");
            }
        } catch (CMSException | OperatorCreationException | java.security.cert.CertificateException e) {
            throw bad("trust update signature does not verify with the OEM root's key");
        }
        return TrustUpdateCodec.parse(content);
    }

    private static String signerName(CMSSignedData cms, SignerInformation signer) {
        return cms.getCertificates().getMatches(null).stream().filter(c -> signer.getSID().match(c)).findFirst()
                .map(c -> "'" + c.getSubject() + "'").orElse("another key (certificate issued by '" + signer.getSID().getIssuer()
                        + "', serial " + signer.getSID().getSerialNumber() + ")");
    }

    private static RejectedException bad(String detail) {
        return new RejectedException(TrustFailure.BAD_SIGNATURE, detail);
    }
}

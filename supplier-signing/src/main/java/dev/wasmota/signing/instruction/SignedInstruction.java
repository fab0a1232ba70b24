package dev.wasmota.signing.instruction;

import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.pki.CertRole;
import dev.wasmota.signing.pki.ChainValidator;
import dev.wasmota.signing.pki.Crypto;
import dev.wasmota.signing.pki.TrustStore;
import java.io.IOException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
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
 * A campaign instruction as a file: CMS SignedData (Ed25519) encapsulating the canonical JSON,
 * signed by the OEM campaign key. {@link #verify} checks the signature and the campaign chain
 * before the JSON is parsed, then the instruction against the vehicle: expiry, vehicle, package
 * and the replay counter.
 */
public final class SignedInstruction {
    /** Largest instruction file accepted, checked before parsing. */
    public static final int MAX_FILE_BYTES = 16 * 1024;
    /** How far in the future an instruction's issue time may lie (vehicle clock skew). */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private SignedInstruction() {
    }

    /** Signs {@code instruction} with the campaign key; returns the file bytes. */
    public static byte[] sign(Instruction instruction, PrivateKey campaignKey, X509CertificateHolder campaignCert, Clock clock) {
        try {
            ASN1EncodableVector attrs = new ASN1EncodableVector();
            attrs.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(clock.instant())))));
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(Crypto.PROVIDER).build())
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attrs)))
                    .build(Crypto.signer(campaignKey), campaignCert));
            gen.addCertificates(new CollectionStore<>(List.of(campaignCert)));
            return gen.generate(new CMSProcessableByteArray(InstructionCodec.canonicalBytes(instruction)), true)
                    .getEncoded("DER");
        } catch (CMSException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot sign instruction: " + e.getMessage(), e);
        }
    }

    /**
     * Verifies the signature and chain (role CAMPAIGN) at {@code clock}'s time, then parses.
     * Does not check vehicle, package, expiry or counter: see {@link #check}.
     */
    public static Instruction open(byte[] file, TrustStore trust, Clock clock) {
        try {
            return verified(file, trust, clock);
        } catch (RejectedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RejectedException(TrustFailure.BAD_SIGNATURE, "instruction signature structure is malformed: " + e);
        }
    }

    /** {@link #open}, letting Bouncy Castle's unchecked exceptions for malformed structures through to its one catch. */
    private static Instruction verified(byte[] file, TrustStore trust, Clock clock) {
        if (file.length > MAX_FILE_BYTES) {
            throw new RejectedException(InstructionFailure.MALFORMED_INSTRUCTION,
                    "instruction file of " + file.length + " bytes exceeds " + MAX_FILE_BYTES);
        }
        CMSSignedData cms;
        try {
            cms = new CMSSignedData(file);
        } catch (CMSException | RuntimeException e) {
            throw new RejectedException(TrustFailure.BAD_SIGNATURE, "instruction is not CMS SignedData");
        }
        if (cms.getSignerInfos().size() != 1 || !(cms.getSignedContent() != null
                && cms.getSignedContent().getContent() instanceof byte[])) {
            throw new RejectedException(TrustFailure.BAD_SIGNATURE, "instruction must carry one signature over its content");
        }
        SignerInformation signer = cms.getSignerInfos().iterator().next();
        if (!EdECObjectIdentifiers.id_Ed25519.getId().equals(signer.getEncryptionAlgOID())) {
            throw new RejectedException(TrustFailure.BAD_SIGNATURE, "instruction signature is not Ed25519");
        }
        Collection<X509CertificateHolder> pool = cms.getCertificates().getMatches(null);
        X509CertificateHolder cert = pool.stream().filter(c -> signer.getSID().match(c)).findFirst()
                .orElseThrow(() -> new RejectedException(TrustFailure.UNTRUSTED_SIGNER, "instruction signer's certificate missing"));
        new ChainValidator(trust).validate(cert, pool, CertRole.CAMPAIGN, clock.instant());
        try {
            if (!signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Crypto.PROVIDER).build(cert))) {
                throw new RejectedException(TrustFailure.BAD_SIGNATURE, "instruction signature does not verify");
            }
        } catch (CMSException | OperatorCreationException | java.security.cert.CertificateException e) {
            throw new RejectedException(TrustFailure.BAD_SIGNATURE, "instruction signature does not verify");
        }
        return InstructionCodec.parse((byte[]) cms.getSignedContent().getContent());
    }

    /**
     * Checks an opened instruction against this vehicle and delivery.
     *
     * @param lastCounter the highest counter this vehicle accepted so far (0 if none)
     */
    public static void check(Instruction i, String vehicleId, String packageSha256, Instant now, long lastCounter) {
        if (!i.vehicleId().equals(vehicleId)) {
            throw new RejectedException(InstructionFailure.WRONG_VEHICLE,
                    "instruction " + i.instructionId() + " is for vehicle " + i.vehicleId() + ", this is " + vehicleId);
        }
        if (!i.packageSha256().equals(packageSha256)) {
            throw new RejectedException(InstructionFailure.PACKAGE_MISMATCH, "instruction " + i.instructionId()
                    + " names package " + i.packageSha256() + "; the package delivered is " + packageSha256);
        }
        if (now.isAfter(i.expiresAt())) {
            throw new RejectedException(InstructionFailure.EXPIRED,
                    "instruction " + i.instructionId() + " expired at " + i.expiresAt());
        }
        if (now.plus(MAX_SKEW).isBefore(i.issuedAt())) {
            throw new RejectedException(InstructionFailure.NOT_YET_VALID,
                    "instruction " + i.instructionId() + " is issued at " + i.issuedAt() + ", in the future");
        }
        if (i.counter() <= lastCounter) {
            throw new RejectedException(InstructionFailure.REPLAYED, "instruction " + i.instructionId() + " has counter "
                    + i.counter() + "; this vehicle already accepted counter " + lastCounter);
        }
    }
}

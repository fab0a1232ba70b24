package dev.wasmota.signing.pkg;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.pki.CertRole;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;

/**
 * What the OEM states, inside its countersignature, about the module it released: the digest of
 * the JVM bytecode its compiler produced from the module, and which compiler that was. A vehicle
 * compiles the module itself and compares ("bookended" AOT): a tampered compiler on either side
 * gives a different digest. Also the module's owner and the transfers of ownership that led to it
 * ({@link ModuleOwnerAttribute}), so a vehicle can tell a takeover from a handover the OEM made.
 */
public final class ReleaseAttributes {
    /** Signed attribute: SEQUENCE { compiler UTF8String, sha256 OCTET STRING (32) }. */
    public static final ASN1ObjectIdentifier COMPILED_OUTPUT = CertRole.ARC.branch("20");
    /** Signed attribute: the module's owner and its transfers (DER in {@link ModuleOwnerAttribute}). */
    public static final ASN1ObjectIdentifier MODULE_OWNER = ModuleOwnerAttribute.OID;
    /** Most transfers of ownership one owner statement carries. */
    public static final int MAX_TRANSFERS = ModuleOwnerAttribute.MAX_TRANSFERS;

    /** The OEM's statement about the compiled output. */
    public record CompiledOutput(String compiler, String sha256) {
    }

    private ReleaseAttributes() {
    }

    /** The signed attributes that carry {@code output}, for {@link PackageSigner#countersign}. */
    public static AttributeTable of(CompiledOutput output) {
        return new AttributeTable(compiledOutputAttribute(output));
    }

    /** The signed attributes that carry the module's {@code owner} only. */
    public static AttributeTable of(ModuleOwner owner) {
        ASN1EncodableVector attrs = new ASN1EncodableVector();
        attrs.add(ModuleOwnerAttribute.encode(owner));
        return new AttributeTable(attrs);
    }

    /** The signed attributes that carry {@code output} and the module's {@code owner}. */
    public static AttributeTable of(CompiledOutput output, ModuleOwner owner) {
        ASN1EncodableVector attrs = compiledOutputAttribute(output);
        attrs.add(ModuleOwnerAttribute.encode(owner));
        return new AttributeTable(attrs);
    }

    private static ASN1EncodableVector compiledOutputAttribute(CompiledOutput output) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new DERUTF8String(output.compiler()));
        v.add(new DEROctetString(HexFormat.of().parseHex(output.sha256())));
        ASN1EncodableVector attrs = new ASN1EncodableVector();
        attrs.add(new Attribute(COMPILED_OUTPUT, new DERSet(new DERSequence(v))));
        return attrs;
    }

    /**
     * The owner statement in a verified package's countersignature, if the OEM made one.
     *
     * @throws RejectedException {@link TrustFailure#BAD_SIGNATURE} when it is malformed
     */
    public static Optional<ModuleOwner> moduleOwner(VerifiedPackage verified) {
        return verified.releaseAttributes().map(t -> t.get(ModuleOwnerAttribute.OID)).map(ModuleOwnerAttribute::decode);
    }

    /**
     * The OEM's statement of who owns a module: {@code supplierId}, and every transfer of
     * ownership the OEM made for it, oldest first (empty when the first supplier still owns it).
     */
    public record ModuleOwner(String moduleId, String supplierId, List<Transfer> transfers) {
        public ModuleOwner {
            transfers = List.copyOf(transfers);
        }

        /**
         * The transfers that lead from {@code formerOwner} to the owner: from the last one in which
         * {@code formerOwner} gave the module away to the end. Empty if it never did.
         */
        public Optional<List<Transfer>> transfersSince(String formerOwner) {
            for (int i = transfers.size() - 1; i >= 0; i--) {
                if (transfers.get(i).from().equals(formerOwner)) {
                    return Optional.of(transfers.subList(i, transfers.size()));
                }
            }
            return Optional.empty();
        }

        /** Whether the transfers form one chain (each one's new owner gives it away next) ending at the owner. */
        public boolean consistent() {
            String holder = null;
            for (Transfer t : transfers) {
                if (t.from().equals(t.to()) || (holder != null && !holder.equals(t.from()))) {
                    return false;
                }
                holder = t.to();
            }
            return holder == null || holder.equals(supplierId);
        }
    }

    /**
     * One transfer of a module's ownership, made by the OEM: from then on {@code to} owns it,
     * and its releases start at {@code minSecurityVersion}, above every security version the OEM
     * countersigned for {@code from}, so no vehicle's anti-rollback floor is left above it and no
     * security version names two suppliers' code.
     */
    public record Transfer(String from, String to, long minSecurityVersion, java.time.Instant at) {
    }

    /** The compiled-output statement in a verified package's countersignature, if the OEM made one. */
    public static Optional<CompiledOutput> compiledOutput(VerifiedPackage verified) {
        Optional<Attribute> attr = verified.releaseAttributes().map(t -> t.get(COMPILED_OUTPUT));
        if (attr.isEmpty()) {
            return Optional.empty();
        }
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(attr.get().getAttrValues().getObjectAt(0));
            String compiler = ASN1UTF8String.getInstance(seq.getObjectAt(0)).getString();
            byte[] digest = ASN1OctetString.getInstance(seq.getObjectAt(1)).getOctets();
            if (seq.size() != 2 || digest.length != 32 || attr.get().getAttrValues().size() != 1) {
                throw new IllegalArgumentException("wrong shape");
            }
            return Optional.of(new CompiledOutput(compiler, HexFormat.of().formatHex(digest)));
        } catch (IllegalArgumentException | ClassCastException | ArrayIndexOutOfBoundsException e) {
            throw new RejectedException(TrustFailure.BAD_SIGNATURE, "the OEM's compiled-output attribute is malformed");
        }
    }
}

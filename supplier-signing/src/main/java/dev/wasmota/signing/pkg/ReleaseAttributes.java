package dev.wasmota.signing.pkg;

import dev.wasmota.signing.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.pki.CertRole;
import java.util.HexFormat;
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
 * gives a different digest.
 */
public final class ReleaseAttributes {
    /** Signed attribute: SEQUENCE { compiler UTF8String, sha256 OCTET STRING (32) }. */
    public static final ASN1ObjectIdentifier COMPILED_OUTPUT = CertRole.ARC.branch("20");

    /** The OEM's statement about the compiled output. */
    public record CompiledOutput(String compiler, String sha256) {
    }

    private ReleaseAttributes() {
    }

    /** The signed attributes that carry {@code output}, for {@link PackageSigner#countersign}. */
    public static AttributeTable of(CompiledOutput output) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new DERUTF8String(output.compiler()));
        v.add(new DEROctetString(HexFormat.of().parseHex(output.sha256())));
        ASN1EncodableVector attrs = new ASN1EncodableVector();
        attrs.add(new Attribute(COMPILED_OUTPUT, new DERSet(new DERSequence(v))));
        return new AttributeTable(attrs);
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

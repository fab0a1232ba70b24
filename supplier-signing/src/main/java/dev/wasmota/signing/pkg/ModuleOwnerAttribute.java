package dev.wasmota.signing.pkg;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.ReleaseAttributes.ModuleOwner;
import dev.wasmota.signing.pkg.ReleaseAttributes.Transfer;
import dev.wasmota.signing.pki.CertRole;
import java.text.ParseException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;

/**
 * The countersignature's owner attribute in DER:
 * {@code SEQUENCE { moduleId UTF8String, supplierId UTF8String, transfers SEQUENCE OF Transfer }},
 * {@code Transfer ::= SEQUENCE { from UTF8String, to UTF8String, minSecurityVersion INTEGER, at GeneralizedTime }}.
 * Decoding checks every field's shape and bound; anything else is a malformed signature.
 */
final class ModuleOwnerAttribute {
    static final ASN1ObjectIdentifier OID = CertRole.ARC.branch("21");
    /** Most transfers one statement carries (a module's whole history of owners). */
    static final int MAX_TRANSFERS = 64;

    private ModuleOwnerAttribute() {
    }

    static Attribute encode(ModuleOwner owner) {
        requireValid(owner);
        ASN1EncodableVector transfers = new ASN1EncodableVector();
        for (Transfer t : owner.transfers()) {
            transfers.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new DERUTF8String(t.from()),
                    new DERUTF8String(t.to()), new ASN1Integer(t.minSecurityVersion()),
                    new DERGeneralizedTime(Date.from(t.at().truncatedTo(ChronoUnit.SECONDS)))}));
        }
        DERSequence value = new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                new DERUTF8String(owner.moduleId()), new DERUTF8String(owner.supplierId()), new DERSequence(transfers)});
        return new Attribute(OID, new DERSet(value));
    }

    static ModuleOwner decode(Attribute attr) {
        try {
            if (attr.getAttrValues().size() != 1) {
                throw new IllegalArgumentException("one value expected");
            }
            ASN1Sequence seq = ASN1Sequence.getInstance(attr.getAttrValues().getObjectAt(0));
            ASN1Sequence list = ASN1Sequence.getInstance(seq.getObjectAt(2));
            if (seq.size() != 3 || list.size() > MAX_TRANSFERS) {
                throw new IllegalArgumentException("wrong shape");
            }
            List<Transfer> transfers = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                transfers.add(transfer(ASN1Sequence.getInstance(list.getObjectAt(i))));
            }
            ModuleOwner owner = new ModuleOwner(text(seq, 0), text(seq, 1), transfers);
            requireValid(owner);
            return owner;
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException | ArrayIndexOutOfBoundsException
                 | ArithmeticException | ParseException e) {
            throw new RejectedException(TrustFailure.BAD_SIGNATURE, "the OEM's module-owner attribute is malformed");
        }
    }

    private static Transfer transfer(ASN1Sequence t) throws ParseException {
        if (t.size() != 4) {
            throw new IllegalArgumentException("wrong shape");
        }
        long min = ASN1Integer.getInstance(t.getObjectAt(2)).longValueExact();
        Instant at = ASN1GeneralizedTime.getInstance(t.getObjectAt(3)).getDate().toInstant();
        return new Transfer(text(t, 0), text(t, 1), min, at);
    }

    private static String text(ASN1Sequence seq, int i) {
        return ASN1UTF8String.getInstance(seq.getObjectAt(i)).getString();
    }

    private static void requireValid(ModuleOwner owner) {
        boolean ok = Manifest.ID.matcher(owner.moduleId()).matches() && Manifest.ID.matcher(owner.supplierId()).matches()
                && owner.transfers().size() <= MAX_TRANSFERS;
        for (Transfer t : owner.transfers()) {
            ok &= Manifest.ID.matcher(t.from()).matches() && Manifest.ID.matcher(t.to()).matches()
                    && t.minSecurityVersion() >= 0 && t.minSecurityVersion() <= Manifest.MAX_SECURITY_VERSION;
        }
        if (!ok) {
            throw new IllegalArgumentException("module-owner statement out of range: " + owner);
        }
    }
}

package dev.wasmota.signing.pki;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * What a certificate may sign, written as an extended key usage. The OIDs live under the arc
 * {@code 2.25.308919988206950390194094241403062321569} (a UUID-derived arc, ITU-T X.667, so no
 * registration is needed). A certificate of one role never verifies as another.
 */
public enum CertRole {
    /** A supplier's module-signing certificate, issued by the supplier CA. */
    SUPPLIER(1, 1),
    /** The OEM's release (countersigning) key, issued directly by the root. */
    RELEASE(2, 0),
    /** The OEM's campaign (director) key signing per-vehicle instructions, issued by the root. */
    CAMPAIGN(3, 0),
    /** The key a vehicle signs its status reports with (later issues). */
    VEHICLE(4, 0);

    /** The product's private OID arc. */
    public static final ASN1ObjectIdentifier ARC = new ASN1ObjectIdentifier("2.25.308919988206950390194094241403062321569");
    /** Certificate extension holding a supplier's permitted capability LIST (UTF8String). */
    public static final ASN1ObjectIdentifier CAPABILITIES_EXTENSION = ARC.branch("10");

    private final int arcNumber;
    private final int intermediates;

    CertRole(int arcNumber, int intermediates) {
        this.arcNumber = arcNumber;
        this.intermediates = intermediates;
    }

    /** The extended key usage that marks this role (on the leaf and on its issuing CA). */
    public KeyPurposeId purpose() {
        return KeyPurposeId.getInstance(ARC.branch("1").branch(Integer.toString(arcNumber)));
    }

    /** How many CA certificates stand between a leaf of this role and the root. */
    public int intermediates() {
        return intermediates;
    }
}

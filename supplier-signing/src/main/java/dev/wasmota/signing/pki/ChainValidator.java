package dev.wasmota.signing.pki;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Checks that a signing certificate chains to the trust store's root through exactly the CAs its
 * {@link CertRole} allows, that every certificate on the path holds the right constraints and
 * role, that none below the root is revoked by the trust store's trust update (its key or the
 * certificate itself), and that each is valid at the given instant.
 */
public final class ChainValidator {
    /** Most certificates a signature may carry with it. */
    public static final int MAX_POOL = 8;

    private static final Set<ASN1ObjectIdentifier> KNOWN_CRITICAL = Set.of(
            Extension.basicConstraints, Extension.keyUsage, Extension.extendedKeyUsage, CertRole.CAPABILITIES_EXTENSION);

    private final TrustStore trust;

    public ChainValidator(TrustStore trust) {
        this.trust = trust;
    }

    /**
     * Validates {@code leaf} for {@code role} at {@code at}, taking intermediates from {@code pool}.
     *
     * @return the path from the leaf up to and including the root
     * @throws RejectedException with a {@link TrustFailure}
     */
    public List<X509CertificateHolder> validate(X509CertificateHolder leaf, Collection<X509CertificateHolder> pool,
                                                CertRole role, Instant at) {
        try {
            return path(leaf, pool, role, at);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw untrusted("a certificate's extensions are malformed: " + e.getMessage());
        }
    }

    /** Bouncy Castle throws unchecked exceptions for malformed extensions; {@link #validate} turns them into refusals. */
    private List<X509CertificateHolder> path(X509CertificateHolder leaf, Collection<X509CertificateHolder> pool,
                                             CertRole role, Instant at) {
        if (pool.size() > MAX_POOL) {
            throw untrusted("signature carries " + pool.size() + " certificates; at most " + MAX_POOL);
        }
        checkLeaf(leaf, role);
        List<X509CertificateHolder> path = new ArrayList<>();
        path.add(leaf);
        X509CertificateHolder current = leaf;
        for (int i = 0; i < role.intermediates(); i++) {
            X509CertificateHolder issuer = findIssuer(current, pool);
            checkCa(issuer, role);
            path.add(issuer);
            current = issuer;
        }
        X509CertificateHolder root = trust.root();
        if (!current.getIssuer().equals(root.getSubject()) || !signedBy(current, root)) {
            throw untrusted("'" + current.getSubject() + "' is not issued by the trusted root for a " + role + " certificate");
        }
        checkRevocations(path);
        path.add(root);
        for (X509CertificateHolder c : path) {
            checkTime(c, at);
        }
        return path;
    }

    private void checkRevocations(List<X509CertificateHolder> belowRoot) {
        for (X509CertificateHolder c : belowRoot) {
            trust.revocationOf(c).ifPresent(why -> {
                throw new RejectedException(TrustFailure.CERTIFICATE_REVOKED, "certificate '" + c.getSubject()
                        + "' (serial " + c.getSerialNumber().toString(16) + ") is revoked: " + why);
            });
        }
    }

    /** The capability LIST a supplier certificate permits; empty if it carries none. */
    public static CapabilitySet permittedCapabilities(X509CertificateHolder cert) {
        Extension ext = cert.getExtension(CertRole.CAPABILITIES_EXTENSION);
        if (ext == null) {
            return CapabilitySet.EMPTY;
        }
        try {
            return CapabilitySet.parse(ASN1UTF8String.getInstance(ext.getParsedValue()).getString());
        } catch (IllegalArgumentException e) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL, "capability extension is not a UTF8String");
        }
    }

    private static void checkLeaf(X509CertificateHolder leaf, CertRole role) {
        BasicConstraints bc = BasicConstraints.fromExtensions(leaf.getExtensions());
        if (bc != null && bc.isCA()) {
            throw untrusted("signing certificate '" + leaf.getSubject() + "' is a CA");
        }
        if (!hasKeyUsage(leaf, KeyUsage.digitalSignature) || !hasRole(leaf, role)) {
            throw untrusted("certificate '" + leaf.getSubject() + "' is not a " + role + " signing certificate");
        }
        for (Object oid : leaf.getCriticalExtensionOIDs()) {
            if (!KNOWN_CRITICAL.contains(oid)) {
                throw untrusted("certificate '" + leaf.getSubject() + "' has an unknown critical extension " + oid);
            }
        }
    }

    private static void checkCa(X509CertificateHolder ca, CertRole role) {
        BasicConstraints bc = BasicConstraints.fromExtensions(ca.getExtensions());
        if (bc == null || !bc.isCA() || !hasKeyUsage(ca, KeyUsage.keyCertSign) || !hasRole(ca, role)) {
            throw untrusted("'" + ca.getSubject() + "' is not a CA for " + role + " certificates");
        }
    }

    private static X509CertificateHolder findIssuer(X509CertificateHolder cert, Collection<X509CertificateHolder> pool) {
        for (X509CertificateHolder candidate : pool) {
            if (candidate.getSubject().equals(cert.getIssuer()) && signedBy(cert, candidate)) {
                return candidate;
            }
        }
        throw untrusted("no issuer for '" + cert.getSubject() + "' among the certificates carried");
    }

    private static boolean signedBy(X509CertificateHolder cert, X509CertificateHolder issuer) {
        try {
            return cert.isSignatureValid(Crypto.verifier(issuer));
        } catch (CertException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean hasKeyUsage(X509CertificateHolder cert, int usage) {
        KeyUsage ku = KeyUsage.fromExtensions(cert.getExtensions());
        return ku != null && ku.hasUsages(usage);
    }

    private static boolean hasRole(X509CertificateHolder cert, CertRole role) {
        ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(cert.getExtensions());
        return eku != null && eku.hasKeyPurposeId(role.purpose());
    }

    private static void checkTime(X509CertificateHolder cert, Instant at) {
        Date when = Date.from(at);
        if (when.before(cert.getNotBefore())) {
            throw new RejectedException(TrustFailure.CERTIFICATE_NOT_YET_VALID,
                    "certificate '" + cert.getSubject() + "' is valid only from " + cert.getNotBefore().toInstant());
        }
        if (when.after(cert.getNotAfter())) {
            throw new RejectedException(TrustFailure.CERTIFICATE_EXPIRED,
                    "certificate '" + cert.getSubject() + "' expired at " + cert.getNotAfter().toInstant());
        }
    }

    private static RejectedException untrusted(String detail) {
        return new RejectedException(TrustFailure.UNTRUSTED_SIGNER, detail);
    }
}

package dev.wasmota.signing.pki;

import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustUpdateFailure;

/**
 * One revoked entry of a {@link TrustUpdate}: the hex SHA-256 of what is revoked (a
 * SubjectPublicKeyInfo or a certificate's DER) and why, in a short line of text.
 *
 * @param sha256 64 lowercase hex digits
 * @param reason why it was revoked (may be empty), at most {@value #MAX_REASON} characters, no control characters
 */
public record Revocation(String sha256, String reason) implements Comparable<Revocation> {
    /** Longest reason text kept with a revocation. */
    public static final int MAX_REASON = 120;

    public Revocation {
        if (sha256 == null || !Digests.SHA256_HEX.matcher(sha256).matches()) {
            throw malformed("revoked entry '" + sha256 + "' is not 64 lowercase hex digits (a SHA-256)");
        }
        if (reason == null || reason.length() > MAX_REASON || reason.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw malformed("reason of revoked entry " + sha256 + " is longer than " + MAX_REASON
                    + " characters or holds control characters");
        }
    }

    /** The hex SHA-256 of {@code cert}'s SubjectPublicKeyInfo: what a key revocation names. */
    public static String keySha256(org.bouncycastle.cert.X509CertificateHolder cert) {
        try {
            return Digests.sha256Hex(cert.getSubjectPublicKeyInfo().getEncoded("DER"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot encode a certificate's public key", e);
        }
    }

    /** The hex SHA-256 of {@code cert}'s DER encoding: what a certificate revocation names. */
    public static String certificateSha256(org.bouncycastle.cert.X509CertificateHolder cert) {
        try {
            return Digests.sha256Hex(cert.getEncoded());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot encode a certificate", e);
        }
    }

    @Override
    public int compareTo(Revocation o) {
        return sha256.compareTo(o.sha256);
    }

    static RejectedException malformed(String detail) {
        return new RejectedException(TrustUpdateFailure.MALFORMED_TRUST_UPDATE, detail);
    }
}

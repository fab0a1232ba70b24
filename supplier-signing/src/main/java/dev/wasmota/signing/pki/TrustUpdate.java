package dev.wasmota.signing.pki;

import dev.wasmota.contract.json.CanonicalJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The OEM root's list of what vehicles and intake must no longer trust: revoked keys (every
 * certificate carrying one is refused, a re-issued certificate included) and revoked certificates.
 * Each update holds every revocation so far and a {@code sequence} that only grows, so the newest
 * one alone is the whole truth and an older one can be refused as a rollback. Signed by the root
 * itself ({@link SignedTrustUpdate}); the wire form is {@link TrustUpdateCodec}.
 *
 * @param sequence 1 for the first update, each next one higher
 * @param issuedAt when the OEM issued it
 * @param revokedKeys revoked SubjectPublicKeyInfo digests, sorted, no duplicates
 * @param revokedCertificates revoked certificate DER digests, sorted, no duplicates
 */
public record TrustUpdate(long sequence, Instant issuedAt, List<Revocation> revokedKeys,
                          List<Revocation> revokedCertificates) {
    /** Most revoked entries (keys and certificates together) an update may hold. */
    public static final int MAX_ENTRIES = 200;

    public TrustUpdate {
        if (sequence < 1 || sequence > CanonicalJson.MAX_SAFE_INTEGER) {
            throw Revocation.malformed("sequence " + sequence + " is outside 1.." + CanonicalJson.MAX_SAFE_INTEGER);
        }
        if (issuedAt == null) {
            throw Revocation.malformed("no issue time");
        }
        revokedKeys = sortedUnique(revokedKeys, "key");
        revokedCertificates = sortedUnique(revokedCertificates, "certificate");
        if (revokedKeys.size() + revokedCertificates.size() > MAX_ENTRIES) {
            throw Revocation.malformed((revokedKeys.size() + revokedCertificates.size()) + " revoked entries; at most "
                    + MAX_ENTRIES);
        }
    }

    /**
     * The update after {@code current} (or the first): sequence + 1, every earlier revocation kept,
     * plus {@code keys} and {@code certificates} not revoked yet.
     */
    public static TrustUpdate next(Optional<TrustUpdate> current, Instant issuedAt, Collection<Revocation> keys,
                                   Collection<Revocation> certificates) {
        long sequence = current.map(TrustUpdate::sequence).orElse(0L) + 1;
        return new TrustUpdate(sequence, issuedAt,
                merged(current.map(TrustUpdate::revokedKeys).orElse(List.of()), keys),
                merged(current.map(TrustUpdate::revokedCertificates).orElse(List.of()), certificates));
    }

    /** Entries this update revokes that {@code earlier} (if any) did not. */
    public int addedSince(Optional<TrustUpdate> earlier) {
        int before = earlier.map(u -> u.revokedKeys().size() + u.revokedCertificates().size()).orElse(0);
        return revokedKeys.size() + revokedCertificates.size() - before;
    }

    /** Why {@code cert} is revoked by this update (its key or the certificate itself), if it is. */
    public Optional<String> revocationOf(X509CertificateHolder cert) {
        String key = Revocation.keySha256(cert);
        for (Revocation r : revokedKeys) {
            if (r.sha256().equals(key)) {
                return Optional.of("its key (sha256 " + key + ") is revoked by trust update " + sequence + reason(r));
            }
        }
        String der = Revocation.certificateSha256(cert);
        for (Revocation r : revokedCertificates) {
            if (r.sha256().equals(der)) {
                return Optional.of("the certificate (sha256 " + der + ") is revoked by trust update " + sequence + reason(r));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code sha256} is a revoked key. */
    public boolean revokesKey(String sha256) {
        return revokedKeys.stream().anyMatch(r -> r.sha256().equals(sha256));
    }

    /** Whether {@code sha256} is a revoked certificate. */
    public boolean revokesCertificate(String sha256) {
        return revokedCertificates.stream().anyMatch(r -> r.sha256().equals(sha256));
    }

    private static String reason(Revocation r) {
        return r.reason().isEmpty() ? "" : " (" + r.reason() + ")";
    }

    private static List<Revocation> merged(List<Revocation> kept, Collection<Revocation> added) {
        Map<String, Revocation> all = new TreeMap<>();
        kept.forEach(r -> all.put(r.sha256(), r));
        added.forEach(r -> all.putIfAbsent(r.sha256(), r));
        return new ArrayList<>(all.values());
    }

    private static List<Revocation> sortedUnique(List<Revocation> entries, String what) {
        if (entries == null) {
            throw Revocation.malformed("no list of revoked " + what + "s");
        }
        List<Revocation> sorted = new ArrayList<>(entries);
        sorted.sort(null);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).sha256().equals(sorted.get(i - 1).sha256())) {
                throw Revocation.malformed("revoked " + what + " " + sorted.get(i).sha256() + " is listed twice");
            }
        }
        return List.copyOf(sorted);
    }
}

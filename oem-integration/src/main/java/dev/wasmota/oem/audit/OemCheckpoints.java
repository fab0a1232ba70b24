package dev.wasmota.oem.audit;

import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.VerifyResult;
import dev.wasmota.audit.VerifyResult.Break;
import dev.wasmota.audit.VerifyResult.Problem;
import dev.wasmota.contract.Digests;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.signing.pki.Credential;
import dev.wasmota.signing.pki.Crypto;
import dev.wasmota.signing.pki.JdkKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Signed checkpoints of the OEM's own audit trail: at each campaign step, inside the step's
 * transaction, the campaign key signs {@value #FORMAT}, the trail's seq and head hash and the time,
 * so the step, its records and the checkpoint over them commit together. The trail's chain has no
 * key: whoever can write the database can rewrite it and recompute every hash; a checkpoint cannot
 * be recomputed without the key, so {@link #verify} finds such a rewrite at the first checkpoint
 * whose seq no longer holds the signed hash (or no longer exists). Records after the newest
 * checkpoint are covered from the next step on.
 */
public final class OemCheckpoints {
    public static final String FORMAT = "wasmota-oem-checkpoint/1";

    /** One checkpoint as stored. */
    public record Checkpoint(long seq, String hash, Instant signedAt, String signer, String signature) {
    }

    private OemCheckpoints() {
    }

    /** The bytes the key signs. */
    static byte[] signed(long seq, String hash, Instant at) {
        return (FORMAT + "\n" + seq + "\n" + hash + "\n" + at + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Signs the trail's head {@code head} with {@code key} inside the caller's transaction {@code c}. */
    public static Checkpoint sign(Connection c, AuditRecord head, Credential key, Instant now) throws SQLException {
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        String signature;
        try {
            Signature s = Signature.getInstance(Crypto.ALGORITHM, Crypto.PROVIDER);
            s.initSign(key.key());
            s.update(signed(head.seq(), head.hash(), at));
            signature = Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign an audit checkpoint with the campaign key: " + e.getMessage(), e);
        }
        Checkpoint cp = new Checkpoint(head.seq(), head.hash(), at, signer(key.cert()), signature);
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO audit_checkpoint (seq, hash, signed_at, signer, signature) VALUES (?, ?, ?, ?, ?)")) {
            p.setLong(1, cp.seq());
            p.setString(2, cp.hash());
            p.setObject(3, CampaignDatabase.time(at));
            p.setString(4, cp.signer());
            p.setString(5, cp.signature());
            p.executeUpdate();
        }
        return cp;
    }

    /** Every checkpoint, oldest first. */
    public static List<Checkpoint> all(CampaignDatabase db) {
        return db.transaction(c -> {
            List<Checkpoint> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM audit_checkpoint ORDER BY seq");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Checkpoint(rs.getLong("seq"), rs.getString("hash"), CampaignDatabase.instant(rs, "signed_at"),
                            rs.getString("signer"), rs.getString("signature")));
                }
            }
            return out;
        });
    }

    /**
     * The outcome: how many checkpoints were checked, and the first that does not hold.
     *
     * @param broken the first checkpoint whose signature fails or whose seq the trail no longer
     *     holds with the signed hash, as a break of the trail at that seq
     */
    public record Result(int checkpoints, long newest, Optional<Break> broken) {
        public boolean ok() {
            return broken.isEmpty();
        }

        /** One line for a person. */
        public String summary() {
            return broken.map(b -> "OEM audit trail rewritten: checkpoint at seq " + b.seq() + ": " + b.problem() + ": "
                    + b.detail()).orElse(checkpoints + " signed checkpoint(s) hold, the newest at seq " + newest);
        }
    }

    /**
     * Checks every checkpoint against {@code trail}: signed by {@code campaignCert}'s key over
     * its seq, hash and time, and the trail's record at that seq carrying that hash.
     */
    public static Result verify(CampaignDatabase db, OemAuditTrail trail, X509CertificateHolder campaignCert) {
        List<Checkpoint> checkpoints = all(db);
        Map<Long, String> hashes = new HashMap<>();
        for (AuditRecord r : trail.records()) {
            hashes.put(r.seq(), r.hash());
        }
        String signer = signer(campaignCert);
        long newest = 0;
        int n = 0;
        for (Checkpoint cp : checkpoints) {
            n++;
            if (!cp.signer().equals(signer) || !valid(cp, campaignCert)) {
                return new Result(n, newest, Optional.of(new Break(cp.seq(), cp.seq(), Problem.EDITED,
                        "its signature does not verify with the campaign certificate " + signer.substring(0, 16)
                                + "…: the checkpoint itself was forged or altered")));
            }
            String held = hashes.get(cp.seq());
            if (held == null) {
                return new Result(n, newest, Optional.of(new Break(cp.seq(), cp.seq(), Problem.DELETED,
                        "the trail no longer holds seq " + cp.seq() + ", which the campaign key signed on " + cp.signedAt())));
            }
            if (!held.equals(cp.hash())) {
                return new Result(n, newest, Optional.of(new Break(cp.seq(), cp.seq(), Problem.CHAIN_MISMATCH,
                        "the trail holds " + held + " at seq " + cp.seq() + ", but the campaign key signed " + cp.hash()
                                + " there on " + cp.signedAt() + ": the trail up to seq " + cp.seq()
                                + " was rewritten (its chain recomputed)")));
            }
            newest = cp.seq();
        }
        return new Result(n, newest, Optional.empty());
    }

    /** The trail's own verification and then its checkpoints: the first problem either finds. */
    public static VerifyResult verifyAll(CampaignDatabase db, OemAuditTrail trail, X509CertificateHolder campaignCert) {
        VerifyResult chain = trail.verify();
        if (!chain.ok()) {
            return chain;
        }
        Result r = verify(db, trail, campaignCert);
        return r.broken().map(b -> new VerifyResult(chain.records(), chain.headHash(), b)).orElse(chain);
    }

    private static boolean valid(Checkpoint cp, X509CertificateHolder cert) {
        try {
            Signature s = Signature.getInstance(Crypto.ALGORITHM, Crypto.PROVIDER);
            s.initVerify(JdkKeys.toJdk(cert).getPublicKey());
            s.update(signed(cp.seq(), cp.hash(), cp.signedAt()));
            return s.verify(Base64.getDecoder().decode(cp.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String signer(X509CertificateHolder cert) {
        try {
            return Digests.sha256Hex(cert.getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

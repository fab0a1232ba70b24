package dev.wasmota.oem.audit;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.contract.Digests;
import dev.wasmota.oem.campaign.CampaignDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every head of a vehicle's own audit log that its signed status reports named, kept per vehicle
 * in the OEM database, each new one checked against those before: a newer report never names a
 * lower seq, two reports naming one seq name one hash, and the continuation proof a report
 * carries (the hash its log holds now at the head it reported before) is the hash anchored there.
 * A report that contradicts them is a security event: its anchor is kept with the contradiction
 * as its verdict, a {@code SECURITY_EVENT} record naming it is appended to the OEM's trail in the
 * same transaction, and the caller counts it. Later reports are checked against the consistent
 * anchors only, so a log cut back once does not become the new reference.
 */
public final class VehicleAnchors {
    /** The actor of the security events. */
    public static final String ACTOR = "vehicle-anchors";

    /** What the OEM found when it took a report's head in. */
    public enum Verdict {
        /** Consistent with every anchor held (or the first one). */
        CONSISTENT(false),
        /** The same report again (a resend): nothing new kept. */
        REPEATED(false),
        /** A report newer than the last anchor names a lower seq: records were cut off. */
        AUDIT_SEQ_WENT_BACK(true),
        /** A seq already anchored with another hash: the log was rewritten up to there. */
        AUDIT_HEAD_FORKED(true),
        /** The log no longer holds, at the head reported before, the record anchored there: rewritten and grown past it. */
        AUDIT_CHAIN_REWRITTEN(true),
        /**
         * The report proves its chain only from a head older than the OEM's last anchor of it (or,
         * from a vehicle that proved before, from none): its own record of what it reported was
         * reset, so the records between are unproven.
         */
        AUDIT_PROOF_BEHIND_ANCHOR(true);

        private final boolean securityEvent;

        Verdict(boolean securityEvent) {
            this.securityEvent = securityEvent;
        }

        /** Whether it contradicts an anchor: a security event. */
        public boolean securityEvent() {
            return securityEvent;
        }
    }

    /**
     * A head as a vehicle's signed report states it.
     *
     * @param prevSeq the head the vehicle reported before, 0 when the report carries no proof
     * @param prevHash the hash its log holds now at {@code prevSeq}, empty when none
     * @param reportedAt the vehicle's time of the report (its clock, signed)
     */
    public record Report(String vehicleId, String campaignId, String instructionId, long seq, String hash,
                         long prevSeq, String prevHash, Instant reportedAt) {
        public Report {
            Objects.requireNonNull(vehicleId, "vehicleId");
            Objects.requireNonNull(campaignId, "campaignId");
            Objects.requireNonNull(instructionId, "instructionId");
            Objects.requireNonNull(reportedAt, "reportedAt");
            if (seq < 0 || prevSeq < 0 || prevSeq > seq) {
                throw new IllegalArgumentException("seq " + seq + ", prevSeq " + prevSeq);
            }
            if (hash == null || !Digests.SHA256_HEX.matcher(hash).matches()) {
                throw new IllegalArgumentException("hash must be 64 lowercase hex digits");
            }
            prevHash = prevHash == null ? "" : prevHash;
            if (prevSeq > 0 && !Digests.SHA256_HEX.matcher(prevHash).matches()) {
                throw new IllegalArgumentException("prevHash must be 64 lowercase hex digits");
            }
        }
    }

    /** One anchor as kept: the head, where it came from and what the OEM found. */
    public record Anchor(String vehicleId, long seq, String hash, long prevSeq, String prevHash, String campaignId,
                         String instructionId, Instant reportedAt, Instant receivedAt, Verdict verdict) {
        /** Where it came from, for a person. */
        public String source() {
            return "status of instruction " + instructionId + ", campaign " + campaignId + ", reported " + reportedAt;
        }
    }

    /** The verdict on a report and, when it was a security event, the trail record naming it. */
    public record Taken(Verdict verdict, String detail, Optional<AuditRecord> securityEvent) {
    }

    private final CampaignDatabase db;
    private final OemAuditTrail trail;
    private final Clock clock;

    public VehicleAnchors(CampaignDatabase db, OemAuditTrail trail, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.trail = Objects.requireNonNull(trail, "trail");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Checks {@code r} against the vehicle's anchors and keeps it, in a transaction of its own. The
     * same report taken in by two workers at once is kept once: the second finds it {@link Verdict#REPEATED}.
     */
    public Taken take(Report r) {
        try {
            return db.transaction(c -> take(c, r));
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException sql && CampaignDatabase.isDuplicateKey(sql)) {
                return db.transaction(c -> take(c, r));
            }
            throw e;
        }
    }

    /** As {@link #take(Report)}, inside the caller's transaction {@code c}. */
    public Taken take(Connection c, Report r) throws SQLException {
        // what the judgement needs of the vehicle's anchors, in one round trip (a status report's cost): this very
        // report taken before (1); the consistent anchors at its seq and its previous seq (2); the latest consistent
        // one (3); whether any report ever proved its log from an earlier head (4)
        Map<Integer, List<Anchor>> parts = selectParts(c, "(SELECT 1 AS part, a.* FROM vehicle_log_anchor a WHERE vehicle_id = ?"
                + " AND instruction_id = ? AND seq = ? AND hash = ? FETCH FIRST 1 ROWS ONLY)"
                + " UNION ALL (SELECT 2 AS part, a.* FROM vehicle_log_anchor a WHERE vehicle_id = ? AND verdict = 'CONSISTENT'"
                + " AND seq IN (?, ?))"
                + " UNION ALL (SELECT 3 AS part, a.* FROM vehicle_log_anchor a WHERE vehicle_id = ? AND verdict = 'CONSISTENT'"
                + " ORDER BY seq DESC, id DESC FETCH FIRST 1 ROWS ONLY)"
                + " UNION ALL (SELECT 4 AS part, a.* FROM vehicle_log_anchor a WHERE vehicle_id = ? AND prev_seq > 0"
                + " FETCH FIRST 1 ROWS ONLY)"
                + " ORDER BY part, id",
                r.vehicleId(), r.instructionId(), r.seq(), r.hash(), r.vehicleId(), r.seq(), r.prevSeq(), r.vehicleId(),
                r.vehicleId());
        if (parts.containsKey(1)) {
            return new Taken(Verdict.REPEATED, "the report of instruction " + r.instructionId() + " again", Optional.empty());
        }
        List<Anchor> consistent = new ArrayList<>(parts.getOrDefault(2, List.of()));
        consistent.addAll(parts.getOrDefault(3, List.of()));
        boolean provedBefore = parts.containsKey(4);
        String[] detail = new String[1];
        Verdict verdict = judge(r, consistent, provedBefore, detail);
        insert(c, r, verdict);
        if (!verdict.securityEvent()) {
            return new Taken(verdict, detail[0], Optional.empty());
        }
        AuditRecord event = trail.append(c, AuditRecord.builder(AuditEvent.SECURITY_EVENT).actor(ACTOR)
                .campaignId(r.campaignId()).instructionId(r.instructionId()).outcome(Outcome.REFUSED)
                .cause(verdict.name()).verification("vehicle-log-head", r.vehicleId() + " " + r.seq() + " " + r.hash())
                .detail(line("vehicle " + r.vehicleId() + ": " + detail[0])).build());
        return new Taken(verdict, detail[0], Optional.of(event));
    }

    private static Verdict judge(Report r, List<Anchor> consistent, boolean provedBefore, String[] detail) {
        for (Anchor a : consistent) {
            if (a.seq() == r.seq() && !a.hash().equals(r.hash())) {
                detail[0] = "its log head at seq " + r.seq() + " is " + r.hash() + ", but it reported " + a.hash()
                        + " at that seq before (" + a.source() + "): the log was rewritten";
                return Verdict.AUDIT_HEAD_FORKED;
            }
            if (r.prevSeq() > 0 && a.seq() == r.prevSeq() && !a.hash().equals(r.prevHash())) {
                detail[0] = "its log now holds " + r.prevHash() + " at seq " + r.prevSeq() + ", where it reported "
                        + a.hash() + " before (" + a.source() + "): the log was rewritten and grown past that head";
                return Verdict.AUDIT_CHAIN_REWRITTEN;
            }
        }
        Optional<Anchor> last = consistent.stream().filter(a -> a.seq() > 0)
                .max((x, y) -> Long.compare(x.seq(), y.seq()));
        if (last.isPresent() && r.seq() < last.get().seq() && r.reportedAt().isAfter(last.get().reportedAt())) {
            detail[0] = "its report of " + r.reportedAt() + " names its log at seq " + r.seq() + ", but its report of "
                    + last.get().reportedAt() + " named seq " + last.get().seq() + " (" + last.get().source()
                    + "): records were cut off";
            return Verdict.AUDIT_SEQ_WENT_BACK;
        }
        if (last.isPresent() && r.seq() > last.get().seq() && r.prevSeq() < last.get().seq()
                && (r.prevSeq() > 0 || provedBefore)) {
            detail[0] = "it proves its log only from seq " + r.prevSeq() + ", but the OEM anchored seq "
                    + last.get().seq() + " of it (" + last.get().source() + "): its record of what it reported was reset,"
                    + " records " + (r.prevSeq() + 1) + ".." + last.get().seq() + " are unproven";
            return Verdict.AUDIT_PROOF_BEHIND_ANCHOR;
        }
        detail[0] = "log head seq " + r.seq() + (r.prevSeq() > 0 ? ", continuing from seq " + r.prevSeq() : "");
        return Verdict.CONSISTENT;
    }

    private void insert(Connection c, Report r, Verdict verdict) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO vehicle_log_anchor (vehicle_id, seq, hash, prev_seq,"
                + " prev_hash, campaign_id, instruction_id, reported_at, received_at, verdict) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, r.vehicleId());
            p.setLong(2, r.seq());
            p.setString(3, r.hash());
            p.setLong(4, r.prevSeq());
            p.setString(5, r.prevSeq() > 0 ? r.prevHash() : null);
            p.setString(6, r.campaignId());
            p.setString(7, r.instructionId());
            p.setObject(8, CampaignDatabase.time(r.reportedAt()));
            p.setObject(9, CampaignDatabase.time(clock.instant()));
            p.setString(10, verdict.name());
            p.executeUpdate();
        }
    }

    /** Every anchor of {@code vehicleId}, in the order they were taken in. */
    public List<Anchor> anchors(String vehicleId) {
        return db.transaction(c -> anchors(c, vehicleId));
    }

    private static List<Anchor> anchors(Connection c, String vehicleId) throws SQLException {
        return select(c, "SELECT * FROM vehicle_log_anchor WHERE vehicle_id = ? ORDER BY id", vehicleId);
    }

    /** The anchors {@code sql} selects with {@code parameters} (strings and longs), in its order. */
    private static List<Anchor> select(Connection c, String sql, Object... parameters) throws SQLException {
        return select(c, sql, parameters, false).getOrDefault(0, List.of());
    }

    /** The anchors a query tagged by its {@code part} column selects, by part. */
    private static Map<Integer, List<Anchor>> selectParts(Connection c, String sqlWithParts, Object... parameters)
            throws SQLException {
        return select(c, sqlWithParts, parameters, true);
    }

    private static Map<Integer, List<Anchor>> select(Connection c, String sql, Object[] parameters, boolean tagged)
            throws SQLException {
        Map<Integer, List<Anchor>> out = new TreeMap<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof Long l) {
                    p.setLong(i + 1, l);
                } else {
                    p.setString(i + 1, (String) parameters[i]);
                }
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String prevHash = rs.getString("prev_hash");
                    out.computeIfAbsent(tagged ? rs.getInt("part") : 0, k -> new ArrayList<>()).add(new Anchor(
                            rs.getString("vehicle_id"), rs.getLong("seq"), rs.getString("hash"), rs.getLong("prev_seq"),
                            prevHash == null ? "" : prevHash, rs.getString("campaign_id"), rs.getString("instruction_id"),
                            CampaignDatabase.instant(rs, "reported_at"), CampaignDatabase.instant(rs, "received_at"),
                            Verdict.valueOf(rs.getString("verdict"))));
                }
            }
        }
        return out;
    }

    private static String line(String text) {
        return text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}

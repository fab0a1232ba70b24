package dev.wasmota.oem.campaign;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outbox in the OEM database, a transactional outbox: a signed instruction is written in the
 * transaction of the campaign step that issued it, a trust update in the one that queued it, so a
 * step never commits without its messages nor the other way round. A serving worker claims
 * messages, publishes each with its package and marks it sent once the broker acknowledged it; a
 * failed publish puts it back. Per vehicle, messages go out one at a time in the order they were
 * queued, trust updates first (a revocation reaches a vehicle before any install it may refuse):
 * a message waits while an earlier one of its vehicle is not sent. A claim holds while its worker's
 * lease ({@link WorkerLeases}) does; once that has run out, any worker takes the message over.
 */
public final class OutboxQueue {
    /** Claimable: waiting, or claimed by a worker whose lease is not live (gone from the table or expired). */
    private static final String CLAIMABLE = "(m.state = 'WAITING' OR (m.state = 'CLAIMED' AND m.claimed_by <> ? AND NOT EXISTS"
            + " (SELECT 1 FROM oem_worker w WHERE w.name = m.claimed_by AND w.lease_until >= ?)))";
    /** No earlier message of the same vehicle is still to be sent. */
    private static final String FIRST_OF_ITS_VEHICLE = "NOT EXISTS (SELECT 1 FROM outbox_message o WHERE o.vehicle_id ="
            + " m.vehicle_id AND o.state <> 'SENT' AND (o.priority < m.priority OR (o.priority = m.priority AND o.id < m.id)))";

    /** What a message carries; trust updates go before instructions. */
    public enum Kind {
        TRUST_UPDATE(0),
        INSTRUCTION(1),
        /** An operator's signed shadow command (issue 19), in order with its vehicle's instructions. */
        SHADOW_COMMAND(1);

        private final int priority;

        Kind(int priority) {
            this.priority = priority;
        }
    }

    /** Where a message is: waiting for a worker, claimed by one, or acknowledged by the broker. */
    public enum State {
        WAITING,
        CLAIMED,
        SENT
    }

    /**
     * A message claimed by this worker.
     *
     * @param takenFrom the worker whose expired claim this one took over, if it was claimed before
     */
    public record Message(long id, String vehicleId, Kind kind, String fileName, byte[] payload,
                          Optional<String> packageSha256, Optional<String> takenFrom) {
    }

    /** One row as it stands, for operators and tests. */
    public record Entry(long id, String vehicleId, Kind kind, String fileName, State state, Optional<String> claimedBy) {
    }

    private final CampaignDatabase db;
    private final Clock clock;

    public OutboxQueue(CampaignDatabase db, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Queues {@code issued} inside the transaction {@code c} that issued it. */
    static void add(Connection c, IssuedInstruction issued, Instant now) throws SQLException {
        insert(c, issued.instruction().vehicleId(), Kind.INSTRUCTION, issued.fileName(), issued.file(),
                issued.instruction().packageSha256(), now);
    }

    /** Queues {@code issued} inside the transaction {@code c} unless its vehicle's outbox holds it; true if queued. */
    static boolean addIfAbsent(Connection c, IssuedInstruction issued, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM outbox_message WHERE vehicle_id = ? AND file_name = ?")) {
            p.setString(1, issued.instruction().vehicleId());
            p.setString(2, issued.fileName());
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        add(c, issued, now);
        return true;
    }

    /** Queues an operator's signed shadow command for {@code vehicleId} inside the caller's transaction. */
    static void addShadowCommand(Connection c, String vehicleId, String commandId, byte[] signed, Instant now)
            throws SQLException {
        insert(c, vehicleId, Kind.SHADOW_COMMAND, "shadow-" + commandId + ".wotacmd", signed, null, now);
    }

    /** The name a trust update is queued under for a vehicle: {@code 0-trust-<sequence>.wotatrust}. */
    public static String trustUpdateName(long sequence) {
        return String.format(Locale.ROOT, "%s%016d%s", FileOutbox.TRUST_PREFIX, sequence, FileOutbox.TRUST_EXTENSION);
    }

    /** Queues a signed trust update for {@code vehicleId} inside the caller's transaction. */
    public static void addTrustUpdate(Connection c, String vehicleId, long sequence, byte[] signed, Instant now)
            throws SQLException {
        insert(c, vehicleId, Kind.TRUST_UPDATE, trustUpdateName(sequence), signed, null, now);
    }

    private static void insert(Connection c, String vehicleId, Kind kind, String fileName, byte[] payload, String sha,
                               Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO outbox_message (vehicle_id, kind, priority, file_name,"
                + " payload, package_sha256, state, created_at) VALUES (?, ?, ?, ?, ?, ?, 'WAITING', ?)")) {
            p.setString(1, vehicleId);
            p.setString(2, kind.name());
            p.setInt(3, kind.priority);
            p.setString(4, fileName);
            p.setBytes(5, payload);
            p.setString(6, sha);
            p.setObject(7, CampaignDatabase.time(now));
            p.executeUpdate();
        }
    }

    /**
     * Claims for {@code worker} up to {@code max} messages that are next for their vehicle: waiting
     * ones, and those whose worker's lease has run out (each then names that worker).
     */
    public List<Message> claim(String worker, int max) {
        Instant now = clock.instant();
        return db.transaction(c -> {
            // Waiting messages and expired claims listed apart, each in (priority, id) order: a
            // condition on one state walks the (state, priority, id) index and stops after max rows,
            // where the two states joined by OR scanned every row, sent ones included.
            List<long[]> listed = new ArrayList<>();
            Map<Long, String> owner = new HashMap<>();
            try (PreparedStatement p = c.prepareStatement("SELECT m.id, m.priority FROM outbox_message m"
                    + " WHERE m.state = 'WAITING' AND " + FIRST_OF_ITS_VEHICLE
                    + " ORDER BY m.priority, m.id FETCH FIRST ? ROWS ONLY")) {
                p.setInt(1, max);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        listed.add(new long[] {rs.getInt(2), rs.getLong(1)});
                    }
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT m.id, m.priority, m.claimed_by FROM outbox_message m"
                    + " WHERE m.state = 'CLAIMED' AND m.claimed_by <> ? AND NOT EXISTS (SELECT 1 FROM oem_worker w"
                    + " WHERE w.name = m.claimed_by AND w.lease_until >= ?) AND " + FIRST_OF_ITS_VEHICLE
                    + " ORDER BY m.priority, m.id FETCH FIRST ? ROWS ONLY")) {
                p.setString(1, worker);
                p.setObject(2, CampaignDatabase.time(now));
                p.setInt(3, max);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        listed.add(new long[] {rs.getInt(2), rs.getLong(1)});
                        owner.put(rs.getLong(1), rs.getString(3));
                    }
                }
            }
            listed.sort(java.util.Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[1]));
            Map<Long, String> candidates = new LinkedHashMap<>();
            for (long[] r : listed.subList(0, Math.min(max, listed.size()))) {
                candidates.put(r[1], owner.get(r[1]));
            }
            List<Message> claimed = new ArrayList<>();
            for (Map.Entry<Long, String> e : candidates.entrySet()) {
                if (take(c, e.getKey(), worker, now)) {
                    claimed.add(read(c, e.getKey(), Optional.ofNullable(e.getValue())));
                }
            }
            return claimed;
        });
    }

    /** Claims one message if it is still claimable (another worker may have taken it since it was listed). */
    private static boolean take(Connection c, long id, String worker, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE outbox_message m SET state = 'CLAIMED', claimed_by = ?,"
                + " claimed_at = ? WHERE m.id = ? AND " + CLAIMABLE)) {
            p.setString(1, worker);
            p.setObject(2, CampaignDatabase.time(now));
            p.setLong(3, id);
            p.setString(4, worker);
            p.setObject(5, CampaignDatabase.time(now));
            return p.executeUpdate() == 1;
        }
    }

    private static Message read(Connection c, long id, Optional<String> takenFrom) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT vehicle_id, kind, file_name, payload, package_sha256"
                + " FROM outbox_message WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return new Message(id, rs.getString(1), Kind.valueOf(rs.getString(2)), rs.getString(3), rs.getBytes(4),
                        Optional.ofNullable(rs.getString(5)), takenFrom);
            }
        }
    }

    /** The broker acknowledged {@code id}: it is sent. False if {@code worker} no longer held it (taken over). */
    public boolean sent(long id, String worker) {
        Instant now = clock.instant();
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE outbox_message SET state = 'SENT', sent_at = ?"
                    + " WHERE id = ? AND state = 'CLAIMED' AND claimed_by = ?")) {
                p.setObject(1, CampaignDatabase.time(now));
                p.setLong(2, id);
                p.setString(3, worker);
                return p.executeUpdate() == 1;
            }
        });
    }

    /**
     * The broker acknowledged each of {@code ids}: they are sent, in one transaction (one commit for
     * a dispatch round, not one per message). Returns how many {@code worker} still held.
     */
    public int sent(java.util.Collection<Long> ids, String worker) {
        if (ids.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        return db.transaction(c -> {
            int n = 0;
            try (PreparedStatement p = c.prepareStatement("UPDATE outbox_message SET state = 'SENT', sent_at = ?"
                    + " WHERE id = ? AND state = 'CLAIMED' AND claimed_by = ?")) {
                for (long id : ids) {
                    p.setObject(1, CampaignDatabase.time(now));
                    p.setLong(2, id);
                    p.setString(3, worker);
                    n += p.executeUpdate();
                }
            }
            return n;
        });
    }

    /** Publishing {@code id} failed: it waits again. False if {@code worker} no longer held it. */
    public boolean unclaim(long id, String worker) {
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE outbox_message SET state = 'WAITING', claimed_by = NULL,"
                    + " claimed_at = NULL WHERE id = ? AND state = 'CLAIMED' AND claimed_by = ?")) {
                p.setLong(1, id);
                p.setString(2, worker);
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Puts back every message {@code worker} had claimed (it stopped, or is retired); returns how many. */
    public int releaseClaims(String worker) {
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE outbox_message SET state = 'WAITING', claimed_by = NULL,"
                    + " claimed_at = NULL WHERE state = 'CLAIMED' AND claimed_by = ?")) {
                p.setString(1, worker);
                return p.executeUpdate();
            }
        });
    }

    /** Every message of {@code vehicleId}, in the order they were queued. */
    public List<Entry> of(String vehicleId) {
        return entries("SELECT id, vehicle_id, kind, file_name, state, claimed_by FROM outbox_message WHERE vehicle_id = ?"
                + " ORDER BY priority, id", vehicleId);
    }

    /** Every message in {@code state}, in the order they go out. */
    public List<Entry> in(State state) {
        return entries("SELECT id, vehicle_id, kind, file_name, state, claimed_by FROM outbox_message WHERE state = ?"
                + " ORDER BY priority, id", state.name());
    }

    /** The payload of message {@code id}: the signed instruction or trust update file. */
    public Optional<byte[]> payload(long id) {
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT payload FROM outbox_message WHERE id = ?")) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    private List<Entry> entries(String sql, String parameter) {
        return db.transaction(c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, parameter);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Entry(rs.getLong(1), rs.getString(2), Kind.valueOf(rs.getString(3)), rs.getString(4),
                                State.valueOf(rs.getString(5)), Optional.ofNullable(rs.getString(6))));
                    }
                }
            }
            return out;
        });
    }
}

package dev.wasmota.oem.campaign;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The SQL for per-vehicle actions; called inside {@link CampaignDatabase#transaction}. Every change
 * of an action's status also moves its count in {@link WaveCounters} and its vehicle's latest
 * action in {@link VehicleFleetState}, in the same transaction.
 */
final class ActionRows {
    private ActionRows() {
    }

    static void insert(Connection c, String campaignId, String vehicleId, Action.Kind kind, int wave, int position,
                       Instant now) throws SQLException {
        WaveCounters.Tally tally = new WaveCounters.Tally();
        insert(c, campaignId, vehicleId, kind, wave, position, now, tally);
        tally.flush(c);
    }

    /** {@link #insert(Connection, String, String, Action.Kind, int, int, Instant)} with the count left in {@code tally} (flush it in the transaction). */
    static void insert(Connection c, String campaignId, String vehicleId, Action.Kind kind, int wave, int position,
                       Instant now, WaveCounters.Tally tally) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO campaign_action (campaign_id, vehicle_id, kind,"
                + " wave_index, member_pos, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, campaignId);
            p.setString(2, vehicleId);
            p.setString(3, kind.name());
            p.setInt(4, wave);
            p.setInt(5, position);
            p.setString(6, Action.Status.PENDING.name());
            p.setObject(7, CampaignDatabase.time(now));
            p.executeUpdate();
        }
        tally.added(campaignId, kind, wave, Action.Status.PENDING);
        VehicleFleetState.changed(c, vehicleId, Action.Status.PENDING, now, 0, false);
    }

    /** Records the instruction issued for an action, which becomes INSTRUCTED. */
    static void issued(Connection c, Action a, Action.Issued i, byte[] signed) throws SQLException {
        WaveCounters.Tally tally = new WaveCounters.Tally();
        issued(c, List.of(new Issuing(a, i, signed)), tally);
        tally.flush(c);
    }

    /** An action and the instruction issued for it. */
    record Issuing(Action action, Action.Issued issued, byte[] signed) {
    }

    /**
     * Records each instruction of {@code issuing} on its action, in statement batches; at most one
     * action per vehicle. The counters' move is left in {@code tally}.
     */
    static void issued(Connection c, List<Issuing> issuing, WaveCounters.Tally tally) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE campaign_action SET status = ?, instruction_id = ?,"
                + " counter = ?, nonce = ?, package_sha256 = ?, issued_at = ?, expires_at = ?, instruction = ?,"
                + " updated_at = ? WHERE campaign_id = ? AND vehicle_id = ? AND kind = ?")) {
            for (Issuing x : issuing) {
                Action.Issued i = x.issued();
                p.setString(1, Action.Status.INSTRUCTED.name());
                p.setString(2, i.instructionId());
                p.setLong(3, i.counter());
                p.setString(4, i.nonce());
                p.setString(5, i.packageSha256());
                p.setObject(6, CampaignDatabase.time(i.issuedAt()));
                p.setObject(7, CampaignDatabase.time(i.expiresAt()));
                p.setBytes(8, x.signed());
                p.setObject(9, CampaignDatabase.time(i.issuedAt()));
                key(p, 10, x.action());
                p.addBatch();
            }
            p.executeBatch();
        }
        List<VehicleFleetState.Change> changes = new ArrayList<>(issuing.size());
        for (Issuing x : issuing) {
            tally.moved(x.action(), Action.Status.INSTRUCTED);
            changes.add(new VehicleFleetState.Change(x.action().vehicleId(), Action.Status.INSTRUCTED, x.issued().issuedAt(),
                    x.issued().counter(), false));
        }
        VehicleFleetState.changed(c, changes);
    }

    static void setStatus(Connection c, Action a, Action.Status status, String cause, String detail, Instant now)
            throws SQLException {
        setStatus(c, a, status, cause, detail, now, null);
    }

    /** As {@link #setStatus(Connection, Action, Action.Status, String, String, Instant)}, the counters' move summed in {@code tally} unless it is null. */
    static void setStatus(Connection c, Action a, Action.Status status, String cause, String detail, Instant now,
                          WaveCounters.Tally tally) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE campaign_action SET status = ?, cause = ?, detail = ?,"
                + " updated_at = ? WHERE campaign_id = ? AND vehicle_id = ? AND kind = ?")) {
            p.setString(1, status.name());
            p.setString(2, cause);
            p.setString(3, detail == null || detail.isBlank() ? null : CampaignRows.clip(detail, 500));
            p.setObject(4, CampaignDatabase.time(now));
            key(p, 5, a);
            p.executeUpdate();
        }
        if (tally == null) {
            WaveCounters.moved(c, a, status);
        } else {
            tally.moved(a, status);
        }
        VehicleFleetState.changed(c, a.vehicleId(), status, now, a.issued().map(Action.Issued::counter).orElse(0L),
                Action.REPORTED.equals(cause));
    }

    static List<Action> of(Connection c, String campaignId) throws SQLException {
        return query(c, "SELECT * FROM campaign_action WHERE campaign_id = ? ORDER BY kind, wave_index, member_pos",
                campaignId);
    }

    static List<Action> inWave(Connection c, String campaignId, int wave) throws SQLException {
        return query(c, "SELECT * FROM campaign_action WHERE campaign_id = ? AND kind = 'INSTALL' AND wave_index = ?"
                + " ORDER BY member_pos", campaignId, wave);
    }

    static Optional<Action> byInstruction(Connection c, String instructionId) throws SQLException {
        return query(c, "SELECT * FROM campaign_action WHERE instruction_id = ?", instructionId).stream().findFirst();
    }

    static Optional<Action> find(Connection c, String campaignId, String vehicleId, Action.Kind kind) throws SQLException {
        return query(c, "SELECT * FROM campaign_action WHERE campaign_id = ? AND vehicle_id = ? AND kind = ?",
                campaignId, vehicleId, kind.name()).stream().findFirst();
    }

    /** The signed instruction file recorded for an instruction id. */
    static Optional<byte[]> instructionFile(Connection c, String instructionId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT instruction FROM campaign_action WHERE instruction_id = ?")) {
            p.setString(1, instructionId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    /** The actions whose instruction was issued, is not answered and is still valid at {@code now}. */
    static List<Action> unanswered(Connection c, Instant now) throws SQLException {
        return query(c, "SELECT * FROM campaign_action WHERE status = 'INSTRUCTED' AND expires_at >= ?"
                + " ORDER BY campaign_id, vehicle_id, kind", CampaignDatabase.time(now));
    }

    /** Ids of the campaigns with an instruction that expired before {@code now} without an answer. */
    static List<String> campaignsWithExpired(Connection c, Instant now) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT campaign_id FROM campaign_action"
                + " WHERE status = 'INSTRUCTED' AND expires_at < ? ORDER BY campaign_id")) {
            p.setObject(1, CampaignDatabase.time(now));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Of {@code vehicleIds}, those in an install action of a campaign that is created, running or paused. */
    static TreeSet<String> busy(Connection c, Collection<String> vehicleIds) throws SQLException {
        TreeSet<String> wanted = new TreeSet<>(vehicleIds);
        TreeSet<String> out = new TreeSet<>();
        try (PreparedStatement p = c.prepareStatement("SELECT a.vehicle_id, a.campaign_id FROM campaign_action a"
                + " JOIN campaign k ON k.id = a.campaign_id WHERE k.state IN ('CREATED', 'RUNNING', 'PAUSED')")) {
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    if (wanted.contains(rs.getString(1))) {
                        out.add(rs.getString(1) + " (campaign " + rs.getString(2) + ")");
                    }
                }
            }
        }
        return out;
    }

    private static void key(PreparedStatement p, int from, Action a) throws SQLException {
        p.setString(from, a.campaignId());
        p.setString(from + 1, a.vehicleId());
        p.setString(from + 2, a.kind().name());
    }

    private static List<Action> query(Connection c, String sql, Object... params) throws SQLException {
        List<Action> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                p.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(action(rs));
                }
            }
        }
        return out;
    }

    private static Action action(ResultSet rs) throws SQLException {
        String instructionId = rs.getString("instruction_id");
        Optional<Action.Issued> issued = instructionId == null ? Optional.empty()
                : Optional.of(new Action.Issued(instructionId, rs.getLong("counter"), rs.getString("nonce"),
                rs.getString("package_sha256"), CampaignDatabase.instant(rs, "issued_at"),
                CampaignDatabase.instant(rs, "expires_at")));
        return new Action(rs.getString("campaign_id"), rs.getString("vehicle_id"),
                Action.Kind.valueOf(rs.getString("kind")), rs.getInt("wave_index"),
                Action.Status.valueOf(rs.getString("status")), issued, Optional.ofNullable(rs.getString("cause")),
                Optional.ofNullable(rs.getString("detail")), CampaignDatabase.instant(rs, "updated_at"));
    }
}

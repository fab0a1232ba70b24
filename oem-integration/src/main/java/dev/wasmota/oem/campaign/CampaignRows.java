package dev.wasmota.oem.campaign;

import dev.wasmota.oem.release.ReleaseId;
import dev.wasmota.contract.error.RejectedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL for campaigns and their waves; called inside {@link CampaignDatabase#transaction}. */
final class CampaignRows {
    private CampaignRows() {
    }

    static void insert(Connection c, Campaign k) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO campaign (id, module_id, release_version, security_version, package_sha256, wasm_sha256,
                  target_hardware, wave_plan, advance_at, stop_at, validity_seconds, hold_seconds, state, current_wave,
                  cause, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            p.setString(1, k.id());
            p.setString(2, k.release().moduleId());
            p.setString(3, k.release().version());
            p.setLong(4, k.securityVersion());
            p.setString(5, k.packageSha256());
            p.setString(6, k.wasmSha256());
            p.setString(7, k.targets().hardwareId().orElse(null));
            p.setString(8, k.wavePlan().toString());
            p.setInt(9, k.advanceAt());
            p.setInt(10, k.stopAt());
            p.setLong(11, k.validity().getSeconds());
            p.setLong(12, k.hold().getSeconds());
            p.setString(13, k.state().name());
            p.setInt(14, k.currentWave());
            p.setString(15, k.cause().orElse(null));
            p.setObject(16, CampaignDatabase.time(k.createdAt()));
            p.setObject(17, CampaignDatabase.time(k.updatedAt()));
            p.executeUpdate();
        }
    }

    /** The campaign, locked for this transaction; refused if unknown. */
    static Campaign lock(Connection c, String id) throws SQLException {
        return find(c, id, true).orElseThrow(() -> unknown(id));
    }

    static RejectedException unknown(String id) {
        return new RejectedException(CampaignFailure.UNKNOWN_CAMPAIGN, "no campaign " + id);
    }

    static Optional<Campaign> find(Connection c, String id, boolean forUpdate) throws SQLException {
        List<Campaign> found = query(c, "SELECT * FROM campaign WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""), id);
        return found.stream().findFirst();
    }

    static List<Campaign> all(Connection c) throws SQLException {
        return query(c, "SELECT * FROM campaign ORDER BY created_at, id", null);
    }

    /**
     * Ids of the RUNNING campaigns with a hold whose current wave is still running and has run its
     * hold by {@code now}: the wave rules may pass it although no report came in.
     */
    static List<String> runningWithHoldElapsed(Connection c, Instant now) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT k.id, k.hold_seconds, w.started_at FROM campaign k"
                + " JOIN campaign_wave w ON w.campaign_id = k.id AND w.wave_index = k.current_wave"
                + " WHERE k.state = 'RUNNING' AND k.hold_seconds > 0 AND w.state = 'RUNNING' ORDER BY k.id")) {
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Duration hold = Duration.ofSeconds(rs.getLong("hold_seconds"));
                    if (Wave.holdOver(CampaignDatabase.instant(rs, "started_at"), hold, now)) {
                        out.add(rs.getString("id"));
                    }
                }
            }
        }
        return out;
    }

    static void update(Connection c, String id, Campaign.State state, int currentWave, String cause, Instant now)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE campaign SET state = ?, current_wave = ?, cause = ?, updated_at = ? WHERE id = ?")) {
            p.setString(1, state.name());
            p.setInt(2, currentWave);
            p.setString(3, cause == null ? null : clip(cause, 500));
            p.setObject(4, CampaignDatabase.time(now));
            p.setString(5, id);
            p.executeUpdate();
        }
    }

    static void setRollback(Connection c, String id, ReleaseId to, String packageSha256) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE campaign SET rollback_version = ?, rollback_package_sha256 = ? WHERE id = ?")) {
            p.setString(1, to.version());
            p.setString(2, packageSha256);
            p.setString(3, id);
            p.executeUpdate();
        }
    }

    static void insertWave(Connection c, String campaignId, int index, String step) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO campaign_wave (campaign_id, wave_index, step, state) VALUES (?, ?, ?, ?)")) {
            p.setString(1, campaignId);
            p.setInt(2, index);
            p.setString(3, step);
            p.setString(4, Wave.State.PLANNED.name());
            p.executeUpdate();
        }
    }

    static void updateWave(Connection c, String campaignId, int index, Wave.State state, Instant startedAt)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE campaign_wave SET state = ?, started_at = COALESCE(?, started_at)"
                + " WHERE campaign_id = ? AND wave_index = ?")) {
            p.setString(1, state.name());
            p.setObject(2, CampaignDatabase.time(startedAt));
            p.setString(3, campaignId);
            p.setInt(4, index);
            p.executeUpdate();
        }
    }

    /** Sets every wave of the campaign that is still planned or running to {@code state}. */
    static void endOpenWaves(Connection c, String campaignId, Wave.State state) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE campaign_wave SET state = ? WHERE campaign_id = ?"
                + " AND state IN ('PLANNED', 'RUNNING')")) {
            p.setString(1, state.name());
            p.setString(2, campaignId);
            p.executeUpdate();
        }
    }

    /**
     * The campaign's waves in order, each with its members in rollout order. The members per wave
     * never change once the campaign exists: kept as {@link #members} are (the wave rules read the
     * waves after every status report).
     */
    static List<Wave> waves(Connection c, String campaignId) throws SQLException {
        return waves(c, campaignId, waveMembers(c, campaignId));
    }

    /** {@link #waves(Connection, String)} of campaign {@code k} as read in this transaction (its creation time known). */
    static List<Wave> waves(Connection c, Campaign k) throws SQLException {
        return waves(c, k.id(), waveMembers(c, k.id(), k.createdAt()));
    }

    private static List<Wave> waves(Connection c, String campaignId, Map<Integer, List<String>> members) throws SQLException {
        List<Wave> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT * FROM campaign_wave WHERE campaign_id = ? ORDER BY wave_index")) {
            p.setString(1, campaignId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    int index = rs.getInt("wave_index");
                    out.add(new Wave(campaignId, index, rs.getString("step"), members.getOrDefault(index, List.of()),
                            Wave.State.valueOf(rs.getString("state")),
                            Optional.ofNullable(CampaignDatabase.instant(rs, "started_at"))));
                }
            }
        }
        return out;
    }

    private static List<Campaign> query(Connection c, String sql, String param) throws SQLException {
        List<Campaign> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            if (param != null) {
                p.setString(1, param);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(campaign(c, rs));
                }
            }
        }
        return out;
    }

    private static Campaign campaign(Connection c, ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        String module = rs.getString("module_id");
        String hardware = rs.getString("target_hardware");
        Targets targets = hardware != null ? Targets.hardware(hardware)
                : members(c, id, CampaignDatabase.instant(rs, "created_at"));
        String rollbackVersion = rs.getString("rollback_version");
        return new Campaign(id, new ReleaseId(module, rs.getString("release_version")), rs.getLong("security_version"),
                rs.getString("package_sha256"), rs.getString("wasm_sha256"), targets,
                WavePlan.parse(rs.getString("wave_plan")), rs.getInt("advance_at"), rs.getInt("stop_at"),
                Duration.ofSeconds(rs.getLong("validity_seconds")), Duration.ofSeconds(rs.getLong("hold_seconds")),
                Campaign.State.valueOf(rs.getString("state")),
                rs.getInt("current_wave"), waveCount(c, id, CampaignDatabase.instant(rs, "created_at")), Optional.ofNullable(rs.getString("cause")),
                Optional.ofNullable(rollbackVersion).map(v -> new ReleaseId(module, v)),
                CampaignDatabase.instant(rs, "created_at"), CampaignDatabase.instant(rs, "updated_at"));
    }

    /** Campaigns' listed members, which never change once the campaign is created ({@link ConnectionCache}). */
    private static final ConnectionCache<Targets> MEMBERS = new ConnectionCache<>();
    /** Each campaign's members per wave ({@link ConnectionCache}). */
    private static final ConnectionCache<Map<Integer, List<String>>> WAVE_MEMBERS = new ConnectionCache<>();
    /** Each campaign's number of waves ({@link ConnectionCache}). */
    private static final ConnectionCache<Integer> WAVE_COUNTS = new ConnectionCache<>();

    private static Targets members(Connection c, String campaignId, java.time.Instant createdAt) throws SQLException {
        String key = ConnectionCache.key(campaignId, createdAt);
        Targets known = MEMBERS.get(c, key);
        if (known != null) {
            return known;
        }
        Targets t = Targets.vehicles(installMembers(c, campaignId));
        MEMBERS.put(c, key, t);
        return t;
    }

    private static Map<Integer, List<String>> waveMembers(Connection c, String campaignId) throws SQLException {
        java.time.Instant createdAt = null;
        try (PreparedStatement p = c.prepareStatement("SELECT created_at FROM campaign WHERE id = ?")) {
            p.setString(1, campaignId);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    createdAt = CampaignDatabase.instant(rs, "created_at");
                }
            }
        }
        return waveMembers(c, campaignId, createdAt);
    }

    private static Map<Integer, List<String>> waveMembers(Connection c, String campaignId, java.time.Instant createdAt)
            throws SQLException {
        String key = ConnectionCache.key(campaignId, createdAt);
        Map<Integer, List<String>> known = WAVE_MEMBERS.get(c, key);
        if (known != null) {
            return known;
        }
        Map<Integer, List<String>> members = new LinkedHashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT wave_index, vehicle_id FROM campaign_action"
                + " WHERE campaign_id = ? AND kind = 'INSTALL' ORDER BY member_pos")) {
            p.setString(1, campaignId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    members.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        members.replaceAll((w, ids) -> List.copyOf(ids));
        Map<Integer, List<String>> kept = java.util.Collections.unmodifiableMap(members);
        if (createdAt != null && !kept.isEmpty()) {
            WAVE_MEMBERS.put(c, key, kept);
        }
        return kept;
    }

    private static List<String> installMembers(Connection c, String campaignId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT vehicle_id FROM campaign_action"
                + " WHERE campaign_id = ? AND kind = 'INSTALL' ORDER BY member_pos")) {
            p.setString(1, campaignId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static int waveCount(Connection c, String campaignId, java.time.Instant createdAt) throws SQLException {
        String key = ConnectionCache.key(campaignId, createdAt);
        Integer known = WAVE_COUNTS.get(c, key);
        if (known != null) {
            return known;
        }
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM campaign_wave WHERE campaign_id = ?")) {
            p.setString(1, campaignId);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                int n = rs.getInt(1);
                if (n > 0) { // its waves are written with it: none yet means its creating transaction is still writing
                    WAVE_COUNTS.put(c, key, n);
                }
                return n;
            }
        }
    }

    static String clip(String s, int max) {
        String oneLine = s.replaceAll("[\\r\\n\\t]+", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    }
}

package dev.wasmota.oem.campaign;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A campaign's install actions counted per wave and status (table {@code campaign_wave_count},
 * V80), changed by {@link ActionRows} in the same transaction as each action's status, so the wave
 * rules read a few counter rows after a status report instead of counting the campaign's actions:
 * a report's cost no longer grows with the campaign. Every path that changes an action's status
 * holds the campaign's row lock, so the counters of one campaign change one transaction at a time.
 * {@link #recount} is the count from the actions themselves, which the counters always equal.
 */
final class WaveCounters {
    private WaveCounters() {
    }

    /** Moves {@code a}'s count from the status it was read in to {@code to}. */
    static void moved(Connection c, Action a, Action.Status to) throws SQLException {
        if (a.kind() != Action.Kind.INSTALL || a.status() == to) {
            return;
        }
        // both counters in one statement (a status report's move); a counter not there yet is made the long way
        try (PreparedStatement p = c.prepareStatement("UPDATE campaign_wave_count SET n = n + CASE WHEN status = ? THEN -1"
                + " ELSE 1 END WHERE campaign_id = ? AND wave_index = ? AND status IN (?, ?)")) {
            p.setString(1, a.status().name());
            p.setString(2, a.campaignId());
            p.setInt(3, a.wave());
            p.setString(4, a.status().name());
            p.setString(5, to.name());
            if (p.executeUpdate() == 2) {
                return;
            }
        }
        // one of the two or neither was there (the first report of its kind in the wave): the statement moved the one
        // that was; the other is made with its move
        java.util.Set<String> there = new java.util.HashSet<>();
        try (PreparedStatement p = c.prepareStatement("SELECT status FROM campaign_wave_count"
                + " WHERE campaign_id = ? AND wave_index = ? AND status IN (?, ?)")) {
            p.setString(1, a.campaignId());
            p.setInt(2, a.wave());
            p.setString(3, a.status().name());
            p.setString(4, to.name());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    there.add(rs.getString(1));
                }
            }
        }
        if (!there.contains(a.status().name())) {
            insert(c, a.campaignId(), a.wave(), a.status(), -1);
        }
        if (!there.contains(to.name())) {
            insert(c, a.campaignId(), a.wave(), to, 1);
        }
    }

    /**
     * Moves of many actions in one transaction, summed per (campaign, wave, status) and applied
     * at {@link #flush}: a wave of 100,000 instructions moves two counters once instead of
     * 200,000 times. Flush before the transaction reads the counters or commits.
     */
    static final class Tally {
        record Key(String campaignId, int wave, Action.Status status) {
        }

        private final Map<Key, Integer> deltas = new java.util.LinkedHashMap<>();

        void added(String campaignId, Action.Kind kind, int wave, Action.Status status) {
            if (kind == Action.Kind.INSTALL) {
                deltas.merge(new Key(campaignId, wave, status), 1, Integer::sum);
            }
        }

        void moved(Action a, Action.Status to) {
            if (a.kind() == Action.Kind.INSTALL && a.status() != to) {
                deltas.merge(new Key(a.campaignId(), a.wave(), a.status()), -1, Integer::sum);
                deltas.merge(new Key(a.campaignId(), a.wave(), to), 1, Integer::sum);
            }
        }

        /** What is summed so far, to {@link #restore} when the moves after it are rolled back. */
        Map<Key, Integer> snapshot() {
            return new java.util.LinkedHashMap<>(deltas);
        }

        /** Back to {@code snapshot}: the moves since it were rolled back with their savepoint. */
        void restore(Map<Key, Integer> snapshot) {
            deltas.clear();
            deltas.putAll(snapshot);
        }

        void flush(Connection c) throws SQLException {
            for (Map.Entry<Key, Integer> e : deltas.entrySet()) {
                if (e.getValue() != 0) {
                    add(c, e.getKey().campaignId(), e.getKey().wave(), e.getKey().status(), e.getValue());
                }
            }
            deltas.clear();
        }
    }

    /** The counts per wave (waves without actions absent), from the counters. */
    static Map<Integer, WaveCounts> read(Connection c, String campaignId) throws SQLException {
        return read(c, campaignId, null);
    }

    /** {@link #read(Connection, String)} with the moves {@code pending} holds, not flushed yet, added (none if null). */
    static Map<Integer, WaveCounts> read(Connection c, String campaignId, Tally pending) throws SQLException {
        Map<Integer, int[]> byWave = raw(c, "SELECT wave_index, status, n FROM campaign_wave_count WHERE campaign_id = ?",
                campaignId);
        if (pending != null) {
            pending.deltas.forEach((k, n) -> {
                if (k.campaignId().equals(campaignId)) {
                    byWave.computeIfAbsent(k.wave(), w -> new int[Action.Status.values().length])[k.status().ordinal()] += n;
                }
            });
        }
        return of(byWave);
    }

    /** The counts per wave counted from the actions (one {@code GROUP BY} over index {@code action_by_wave}). */
    static Map<Integer, WaveCounts> recount(Connection c, String campaignId) throws SQLException {
        return counts(c, "SELECT wave_index, status, COUNT(*) FROM campaign_action WHERE campaign_id = ? AND kind = 'INSTALL'"
                + " GROUP BY wave_index, status", campaignId);
    }

    private static Map<Integer, WaveCounts> counts(Connection c, String sql, String campaignId) throws SQLException {
        return of(raw(c, sql, campaignId));
    }

    private static Map<Integer, WaveCounts> of(Map<Integer, int[]> byWave) {
        Map<Integer, WaveCounts> out = new TreeMap<>();
        byWave.forEach((w, n) -> {
            if (java.util.Arrays.stream(n).anyMatch(x -> x != 0)) {
                out.put(w, WaveCounts.of(n));
            }
        });
        return out;
    }

    private static Map<Integer, int[]> raw(Connection c, String sql, String campaignId) throws SQLException {
        Map<Integer, int[]> byWave = new TreeMap<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, campaignId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    int n = rs.getInt(3);
                    if (n != 0) {
                        byWave.computeIfAbsent(rs.getInt(1), w -> new int[Action.Status.values().length])
                                [Action.Status.valueOf(rs.getString(2).trim()).ordinal()] += n;
                    }
                }
            }
        }
        return byWave;
    }

    private static void add(Connection c, String campaignId, int wave, Action.Status status, int delta) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE campaign_wave_count SET n = n + ?"
                + " WHERE campaign_id = ? AND wave_index = ? AND status = ?")) {
            p.setInt(1, delta);
            p.setString(2, campaignId);
            p.setInt(3, wave);
            p.setString(4, status.name());
            if (p.executeUpdate() == 1) {
                return;
            }
        }
        insert(c, campaignId, wave, status, delta);
    }

    private static void insert(Connection c, String campaignId, int wave, Action.Status status, int delta) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO campaign_wave_count (campaign_id, wave_index, status, n)"
                + " VALUES (?, ?, ?, ?)")) {
            p.setString(1, campaignId);
            p.setInt(2, wave);
            p.setString(3, status.name());
            p.setInt(4, delta);
            p.executeUpdate();
        }
    }
}

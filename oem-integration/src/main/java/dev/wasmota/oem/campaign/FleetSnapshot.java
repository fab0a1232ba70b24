package dev.wasmota.oem.campaign;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet and its campaigns counted at one moment, for the OEM's meters: registered vehicles
 * by the state of their latest action ({@value #IDLE} when never in a campaign), by when the OEM
 * last counted a status report from them, campaigns by state, and the actions of the campaigns
 * still running (created, running or paused) by status. A few aggregate queries; no row per
 * vehicle leaves the database. The vehicles are counted from {@link VehicleFleetState}, kept with
 * every change of an action, so a fleet of 100,000 is one short row each, not every action; the
 * open actions from the campaigns' per-wave counters ({@link WaveCounters}), a few rows each.
 *
 * @param at when it was counted
 * @param vehicles registered vehicles
 * @param vehiclesByState every name of {@link #VEHICLE_STATES} with its count
 * @param vehiclesBySeen every name of {@link #SEEN} with its count
 * @param campaigns every campaign state with its count
 * @param activeActions every action status with its count, over the campaigns not finished
 */
public record FleetSnapshot(Instant at, int vehicles, Map<String, Integer> vehiclesByState, Map<String, Integer> vehiclesBySeen,
                            Map<Campaign.State, Integer> campaigns, Map<Action.Status, Integer> activeActions) {
    /** A vehicle never in a campaign. */
    public static final String IDLE = "IDLE";
    /** A vehicle's state: {@value #IDLE}, or the status of its latest action. */
    public static final List<String> VEHICLE_STATES = List.of(IDLE, "PENDING", "INSTRUCTED", "COMMITTED", "FAILED",
            "ROLLED_BACK", "EXCLUDED");
    /** When the OEM last counted a status report from a vehicle: within an hour, a day, a week, longer ago, never. */
    public static final List<String> SEEN = List.of("1h", "1d", "7d", "older", "never");
    private static final List<Duration> SEEN_WITHIN = List.of(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7));

    public FleetSnapshot {
        vehiclesByState = Collections.unmodifiableMap(new LinkedHashMap<>(vehiclesByState));
        vehiclesBySeen = Collections.unmodifiableMap(new LinkedHashMap<>(vehiclesBySeen));
        campaigns = Collections.unmodifiableMap(new EnumMap<>(campaigns));
        activeActions = Collections.unmodifiableMap(new EnumMap<>(activeActions));
    }

    /** Counts the fleet in {@code db} as it stands at {@code now}. */
    public static FleetSnapshot read(CampaignDatabase db, Instant now) {
        return db.transaction(c -> {
            int vehicles = count(c, "SELECT COUNT(*) FROM vehicle");
            return new FleetSnapshot(now, vehicles, byState(c, vehicles), bySeen(c, vehicles, now), campaigns(c),
                    activeActions(c));
        });
    }

    /**
     * Vehicles by the status of their latest action, from {@link VehicleFleetState}'s one short row
     * per vehicle that was ever in a campaign (not every action with its signed instruction).
     */
    private static Map<String, Integer> byState(Connection c, int vehicles) throws SQLException {
        Map<String, Integer> out = zero(VEHICLE_STATES);
        int inCampaigns = 0;
        try (PreparedStatement p = c.prepareStatement("SELECT status, COUNT(*) FROM vehicle_fleet_state GROUP BY status");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                int n = rs.getInt(2);
                out.merge(rs.getString(1), n, Integer::sum);
                inCampaigns += n;
            }
        }
        out.put(IDLE, Math.max(0, vehicles - inCampaigns));
        return out;
    }

    /** Vehicles by when the OEM last counted a status report from them ({@link VehicleFleetState}). */
    private static Map<String, Integer> bySeen(Connection c, int vehicles, Instant now) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*)");
        for (int i = 0; i < SEEN_WITHIN.size(); i++) {
            sql.append(", SUM(CASE WHEN reported_at >= ?").append(i == 0 ? "" : " AND reported_at < ?")
                    .append(" THEN 1 ELSE 0 END)");
        }
        sql.append(" FROM vehicle_fleet_state WHERE reported_at IS NOT NULL");
        Map<String, Integer> out = zero(SEEN);
        try (PreparedStatement p = c.prepareStatement(sql.toString())) {
            int at = 1;
            for (int i = 0; i < SEEN_WITHIN.size(); i++) {
                p.setObject(at++, CampaignDatabase.time(now.minus(SEEN_WITHIN.get(i))));
                if (i > 0) {
                    p.setObject(at++, CampaignDatabase.time(now.minus(SEEN_WITHIN.get(i - 1))));
                }
            }
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                int reported = rs.getInt(1);
                int within = 0;
                for (int i = 0; i < SEEN_WITHIN.size(); i++) {
                    int n = rs.getInt(i + 2);
                    out.put(SEEN.get(i), n);
                    within += n;
                }
                out.put("older", reported - within);
                out.put("never", Math.max(0, vehicles - reported));
            }
        }
        return out;
    }

    private static Map<Campaign.State, Integer> campaigns(Connection c) throws SQLException {
        Map<Campaign.State, Integer> out = new EnumMap<>(Campaign.State.class);
        for (Campaign.State s : Campaign.State.values()) {
            out.put(s, 0);
        }
        try (PreparedStatement p = c.prepareStatement("SELECT state, COUNT(*) FROM campaign GROUP BY state");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.put(Campaign.State.valueOf(rs.getString(1)), rs.getInt(2));
            }
        }
        return out;
    }

    /**
     * The actions of the campaigns not finished by status, summed from their per-wave counters
     * ({@link WaveCounters}, a few rows per campaign) instead of a join over every action. The
     * counters hold install actions only, and those are every action such a campaign has: a
     * rollback action is created only by a campaign's rollback, in the transaction that makes it
     * ROLLED_BACK, a state it never leaves ({@code FleetMeterQueriesTest} holds this equal to the
     * join over the actions).
     */
    private static Map<Action.Status, Integer> activeActions(Connection c) throws SQLException {
        Map<Action.Status, Integer> out = new EnumMap<>(Action.Status.class);
        for (Action.Status s : Action.Status.values()) {
            out.put(s, 0);
        }
        try (PreparedStatement p = c.prepareStatement("SELECT w.status, SUM(w.n) FROM campaign_wave_count w JOIN campaign k"
                + " ON k.id = w.campaign_id WHERE k.state IN (?, ?, ?) GROUP BY w.status")) {
            p.setString(1, Campaign.State.CREATED.name());
            p.setString(2, Campaign.State.RUNNING.name());
            p.setString(3, Campaign.State.PAUSED.name());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.put(Action.Status.valueOf(rs.getString(1).trim()), rs.getInt(2));
                }
            }
        }
        return out;
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql); ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Map<String, Integer> zero(List<String> names) {
        Map<String, Integer> out = new LinkedHashMap<>();
        names.forEach(n -> out.put(n, 0));
        return out;
    }

    /**
     * Whether {@code db} answers now (a connection check of at most two seconds): what a worker's
     * readiness reports. Never throws.
     */
    public static boolean reachable(CampaignDatabase db) {
        try {
            return db.transaction(c -> c.isValid(2));
        } catch (RuntimeException e) {
            return false;
        }
    }
}

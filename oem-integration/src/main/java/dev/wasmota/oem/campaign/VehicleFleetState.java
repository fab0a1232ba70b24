package dev.wasmota.oem.campaign;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Each vehicle's latest action and last counted status report (table {@code vehicle_fleet_state},
 * issue 20), moved by {@link ActionRows} in the transaction that changes an action, so the fleet
 * meters ({@link FleetSnapshot}) count one short row per vehicle rather than reading every action.
 * The latest action is the last changed; of two changed at the same instant (a commit and the
 * rollback it triggers) the one with the later instruction counter (0 when none). An action's
 * change only ever moves its time forward, so keeping the greatest (time, counter) seen is the
 * same as taking the greatest over the actions as they stand.
 */
final class VehicleFleetState {
    private VehicleFleetState() {
    }

    /** One vehicle's change: an action of it is now {@code status} since {@code at}, with its instruction counter. */
    record Change(String vehicleId, Action.Status status, Instant at, long counter, boolean reported) {
    }

    /**
     * Records that an action of {@code vehicleId} is now {@code status} since {@code at} with
     * instruction counter {@code counter}; {@code reported}: because the vehicle reported it.
     */
    static void changed(Connection c, String vehicleId, Action.Status status, Instant at, long counter, boolean reported)
            throws SQLException {
        changed(c, List.of(new Change(vehicleId, status, at, counter, reported)));
    }

    /**
     * Records {@code changes}, each as {@link #changed(Connection, String, Action.Status, Instant, long, boolean)}
     * would, in statement batches (a wave's start moves a row per vehicle: one round trip per
     * batch, not per row). At most one change per vehicle.
     */
    static void changed(Connection c, List<Change> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        // reported and unreported changes go in separate batches: a reported one moves reported_at in its update
        boolean reporting = changes.stream().allMatch(Change::reported);
        if (!reporting && changes.stream().anyMatch(Change::reported)) {
            changed(c, changes.stream().filter(Change::reported).toList());
            changed(c, changes.stream().filter(ch -> !ch.reported()).toList());
            return;
        }
        // the row is there but for a vehicle's first action: update first, insert only when nothing was updated
        int[] updated;
        try (PreparedStatement p = c.prepareStatement("UPDATE vehicle_fleet_state SET status = ?, changed_at = ?,"
                + " action_counter = ?" + (reporting ? ", reported_at = CASE WHEN reported_at IS NULL OR reported_at < ?"
                + " THEN ? ELSE reported_at END" : "")
                + " WHERE vehicle_id = ? AND (changed_at < ? OR (changed_at = ? AND action_counter <= ?))")) {
            for (Change ch : changes) {
                Object time = CampaignDatabase.time(ch.at());
                int n = 1;
                p.setString(n++, ch.status().name());
                p.setObject(n++, time);
                p.setLong(n++, ch.counter());
                if (reporting) {
                    p.setObject(n++, time);
                    p.setObject(n++, time);
                }
                p.setString(n++, ch.vehicleId());
                p.setObject(n++, time);
                p.setObject(n++, time);
                p.setLong(n, ch.counter());
                p.addBatch();
            }
            updated = p.executeBatch();
        }
        List<Change> absent = new ArrayList<>();
        // rows there but not changed (a later change holds them): only their reported_at moves
        List<Change> present = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            // a driver that cannot tell (SUCCESS_NO_INFO) goes the safe way: the insert checks for the row itself
            if (updated[i] == 0 || updated[i] == java.sql.Statement.SUCCESS_NO_INFO) {
                absent.add(changes.get(i));
            }
        }
        if (!absent.isEmpty()) {
            // no row yet (or a later one, which the insert leaves alone)
            int[] inserted;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO vehicle_fleet_state (vehicle_id, status, changed_at,"
                    + " action_counter, reported_at) SELECT id, ?, ?, ?, ? FROM vehicle WHERE id = ? AND NOT EXISTS"
                    + " (SELECT 1 FROM vehicle_fleet_state WHERE vehicle_id = ?)")) {
                for (Change ch : absent) {
                    Object time = CampaignDatabase.time(ch.at());
                    p.setString(1, ch.status().name());
                    p.setObject(2, time);
                    p.setLong(3, ch.counter());
                    p.setObject(4, ch.reported() ? time : null);
                    p.setString(5, ch.vehicleId());
                    p.setString(6, ch.vehicleId());
                    p.addBatch();
                }
                inserted = p.executeBatch();
            }
            for (int i = 0; i < absent.size(); i++) {
                if (inserted[i] != 1) {
                    present.add(absent.get(i));
                }
            }
        }
        List<Change> reported = present.stream().filter(Change::reported).toList();
        if (!reported.isEmpty()) {
            try (PreparedStatement p = c.prepareStatement("UPDATE vehicle_fleet_state SET reported_at = ?"
                    + " WHERE vehicle_id = ? AND (reported_at IS NULL OR reported_at < ?)")) {
                for (Change ch : reported) {
                    Object time = CampaignDatabase.time(ch.at());
                    p.setObject(1, time);
                    p.setString(2, ch.vehicleId());
                    p.setObject(3, time);
                    p.addBatch();
                }
                p.executeBatch();
            }
        }
    }
}

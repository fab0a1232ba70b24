package dev.wasmota.oem.campaign;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

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

    /**
     * Records that an action of {@code vehicleId} is now {@code status} since {@code at} with
     * instruction counter {@code counter}; {@code reported}: because the vehicle reported it.
     */
    static void changed(Connection c, String vehicleId, Action.Status status, Instant at, long counter, boolean reported)
            throws SQLException {
        Object time = CampaignDatabase.time(at);
        // the row is there but for a vehicle's first action: update first, insert only when nothing was updated
        int updated;
        try (PreparedStatement p = c.prepareStatement("UPDATE vehicle_fleet_state SET status = ?, changed_at = ?,"
                + " action_counter = ? WHERE vehicle_id = ? AND (changed_at < ? OR (changed_at = ? AND action_counter <= ?))")) {
            p.setString(1, status.name());
            p.setObject(2, time);
            p.setLong(3, counter);
            p.setString(4, vehicleId);
            p.setObject(5, time);
            p.setObject(6, time);
            p.setLong(7, counter);
            updated = p.executeUpdate();
        }
        if (updated == 0) {
            // no row yet (or a later one, which the insert leaves alone)
            try (PreparedStatement p = c.prepareStatement("INSERT INTO vehicle_fleet_state (vehicle_id, status, changed_at,"
                    + " action_counter, reported_at) SELECT id, ?, ?, ?, ? FROM vehicle WHERE id = ? AND NOT EXISTS"
                    + " (SELECT 1 FROM vehicle_fleet_state WHERE vehicle_id = ?)")) {
                p.setString(1, status.name());
                p.setObject(2, time);
                p.setLong(3, counter);
                p.setObject(4, reported ? time : null);
                p.setString(5, vehicleId);
                p.setString(6, vehicleId);
                if (p.executeUpdate() == 1) {
                    return;
                }
            }
        }
        if (reported) {
            try (PreparedStatement p = c.prepareStatement("UPDATE vehicle_fleet_state SET reported_at = ?"
                    + " WHERE vehicle_id = ? AND (reported_at IS NULL OR reported_at < ?)")) {
                p.setObject(1, time);
                p.setString(2, vehicleId);
                p.setObject(3, time);
                p.executeUpdate();
            }
        }
    }
}

package dev.wasmota.oem.campaign;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The vehicles the OEM knows, with their hardware ids and instruction counters, in the campaign
 * database. The counter is advanced only inside the transaction that records the instruction
 * carrying it, so a counter is never issued twice nor lost.
 */
public final class VehicleRegistry {
    private static final String COLUMNS = "id, hardware_id, last_counter, registered_at";

    private final CampaignDatabase db;

    public VehicleRegistry(CampaignDatabase db) {
        this.db = db;
    }

    /**
     * Registers a vehicle; registering it again with the same hardware id changes nothing, with
     * another is refused ({@link CampaignFailure#VEHICLE_CONFLICT}).
     */
    public Vehicle register(String id, String hardwareId) {
        requireId(id, "vehicle id");
        requireId(hardwareId, "hardware id");
        return db.transaction(c -> {
            Optional<Vehicle> existing = find(c, id, true);
            if (existing.isPresent()) {
                if (!existing.get().hardwareId().equals(hardwareId)) {
                    throw new RejectedException(CampaignFailure.VEHICLE_CONFLICT, "vehicle " + id
                            + " is registered with hardware " + existing.get().hardwareId() + ", not " + hardwareId);
                }
                return existing.get();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO vehicle (" + COLUMNS + ") VALUES (?, ?, 0, ?)")) {
                p.setString(1, id);
                p.setString(2, hardwareId);
                p.setObject(3, CampaignDatabase.time(db.clock().instant()));
                p.executeUpdate();
            }
            return find(c, id, false).orElseThrow();
        });
    }

    public Optional<Vehicle> find(String id) {
        return db.transaction(c -> find(c, id, false));
    }

    /** Every vehicle, by id. */
    public List<Vehicle> list() {
        return db.transaction(c -> query(c, "SELECT " + COLUMNS + " FROM vehicle ORDER BY id", null));
    }

    /** The vehicles with hardware id {@code hardwareId}, by id. */
    public List<Vehicle> withHardware(String hardwareId) {
        return db.transaction(c -> withHardware(c, hardwareId));
    }

    static List<Vehicle> withHardware(Connection c, String hardwareId) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM vehicle WHERE hardware_id = ? ORDER BY id", hardwareId);
    }

    static Optional<Vehicle> find(Connection c, String id, boolean forUpdate) throws SQLException {
        List<Vehicle> found = query(c, "SELECT " + COLUMNS + " FROM vehicle WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""), id);
        return found.stream().findFirst();
    }

    /** Advances the vehicle's counter by one and returns the new value; call inside the instruction's transaction. */
    /**
     * Advances the counter of each of {@code vehicleIds} (distinct) in one statement batch and
     * returns the new ones, by vehicle: what {@link #nextCounter} does for one, for a wave.
     *
     * @throws RejectedException {@link CampaignFailure#UNKNOWN_VEHICLE} for a vehicle not registered
     */
    static java.util.Map<String, Long> nextCounters(Connection c, List<String> vehicleIds) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE vehicle SET last_counter = last_counter + 1 WHERE id = ?")) {
            for (String id : vehicleIds) {
                p.setString(1, id);
                p.addBatch();
            }
            int[] n = p.executeBatch();
            for (int i = 0; i < n.length; i++) {
                if (n[i] == 0) {
                    throw new RejectedException(CampaignFailure.UNKNOWN_VEHICLE, "vehicle " + vehicleIds.get(i) + " is not registered");
                }
            }
        }
        java.util.Map<String, Long> out = new java.util.HashMap<>(vehicleIds.size() * 2);
        for (int from = 0; from < vehicleIds.size(); from += IN_LIST) {
            List<String> part = vehicleIds.subList(from, Math.min(vehicleIds.size(), from + IN_LIST));
            try (PreparedStatement p = c.prepareStatement("SELECT id, last_counter FROM vehicle WHERE id IN ("
                    + String.join(", ", java.util.Collections.nCopies(part.size(), "?")) + ")")) {
                for (int i = 0; i < part.size(); i++) {
                    p.setString(i + 1, part.get(i));
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
        }
        for (String id : vehicleIds) {
            if (!out.containsKey(id)) {
                throw new RejectedException(CampaignFailure.UNKNOWN_VEHICLE, "vehicle " + id + " is not registered");
            }
        }
        return out;
    }

    /** Most ids in one {@code IN} list. */
    private static final int IN_LIST = 500;

    static long nextCounter(Connection c, String vehicleId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE vehicle SET last_counter = last_counter + 1 WHERE id = ?")) {
            p.setString(1, vehicleId);
            if (p.executeUpdate() != 1) {
                throw new RejectedException(CampaignFailure.UNKNOWN_VEHICLE, "vehicle " + vehicleId + " is not registered");
            }
        }
        return find(c, vehicleId, false).orElseThrow().lastCounter();
    }

    private static List<Vehicle> query(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            if (param != null) {
                p.setString(1, param);
            }
            List<Vehicle> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Vehicle(rs.getString("id"), rs.getString("hardware_id"), rs.getLong("last_counter"),
                            CampaignDatabase.instant(rs, "registered_at")));
                }
            }
            return out;
        }
    }

    private static void requireId(String id, String what) {
        if (id == null || !Manifest.HARDWARE_ID.matcher(id).matches()) {
            throw new RejectedException(CampaignFailure.INVALID_VEHICLE,
                    what + " '" + id + "' is not " + Manifest.HARDWARE_ID.pattern());
        }
    }
}

package dev.wasmota.oem.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fleet meters' vehicle counts by state, read in one pass over the actions (issue 20), equal
 * to what the earlier query (a correlated MAX(updated_at) per action, reduced in Java) counted, on
 * a fixture with two campaigns, answered, expired and idle vehicles, and two actions of a vehicle
 * changed at the same instant (the later instruction wins, a missing counter counting as 0).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class FleetMeterQueriesTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    CampaignKit kit;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir, database);
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    @Test
    void vehiclesByStateEqualTheEarlierQuerysCounts() {
        List<String> fleet = kit.vehicles(9);
        Campaign first = kit.service.start(kit.service.create(kit.spec(kit.v2, fleet.subList(0, 6), "100%").advanceAt(100)
                .stopAt(100).build()).id());
        kit.answer(kit.outbox.lastTo("veh-1"), Action.Status.COMMITTED);
        kit.answer(kit.outbox.lastTo("veh-2"), Action.Status.FAILED);
        kit.clock.advance(Duration.ofHours(3));
        kit.answer(kit.outbox.lastTo("veh-3"), Action.Status.COMMITTED);
        kit.service.abort(first.id());
        kit.clock.advance(Duration.ofHours(1));
        kit.service.start(kit.service.create(kit.spec(kit.v2, fleet.subList(2, 8), "100%").advanceAt(100)
                .stopAt(100).build()).id());
        kit.answer(kit.outbox.lastTo("veh-4"), Action.Status.COMMITTED);
        // veh-3 was instructed again by the second campaign after its commit in the first;
        // veh-1: a rollback instructed at the instant its install changed (the later counter wins);
        // veh-2: a second action at the same instant without a counter (0: the install's wins)
        kit.db.transaction(c -> {
            tieWith(c, first.id(), "veh-1", "ROLLED_BACK", 1_000L);
            tieWith(c, first.id(), "veh-2", "PENDING", null);
            return null;
        });

        FleetSnapshot s = FleetSnapshot.read(kit.db, kit.clock.instant());

        Map<String, Integer> earlier = kit.db.transaction(c -> earlierByState(c, s.vehicles()));
        assertEquals(earlier, s.vehiclesByState());
        assertEquals(Map.of("IDLE", 1, "PENDING", 0, "INSTRUCTED", 5, "COMMITTED", 1, "FAILED", 1, "ROLLED_BACK", 1,
                "EXCLUDED", 0), s.vehiclesByState(), s.vehiclesByState()::toString);
        assertEquals(Map.of("1h", 2, "1d", 2, "7d", 0, "older", 0, "never", 5), s.vehiclesBySeen(), "veh-3 reported just an hour ago");
    }

    /** A ROLLBACK action of {@code vehicle} in {@code campaign}, changed at the instant of its install action. */
    private static void tieWith(Connection c, String campaign, String vehicle, String status, Long counter)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO campaign_action (campaign_id, vehicle_id, kind,"
                + " wave_index, member_pos, status, counter, updated_at) SELECT campaign_id, vehicle_id, 'ROLLBACK',"
                + " wave_index, member_pos, ?, ?, updated_at FROM campaign_action WHERE campaign_id = ? AND vehicle_id = ?"
                + " AND kind = 'INSTALL'")) {
            p.setString(1, status);
            p.setObject(2, counter);
            p.setString(3, campaign);
            p.setString(4, vehicle);
            assertEquals(1, p.executeUpdate());
        }
    }

    /** What FleetSnapshot counted before issue 20: a correlated subquery per action, reduced here. */
    private static Map<String, Integer> earlierByState(Connection c, int vehicles) throws SQLException {
        Map<String, String> latest = new HashMap<>();
        Map<String, Long> latestCounter = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT a.vehicle_id, a.status, a.counter FROM campaign_action a"
                + " WHERE a.updated_at = (SELECT MAX(b.updated_at) FROM campaign_action b WHERE b.vehicle_id = a.vehicle_id)");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                String vehicle = rs.getString(1);
                long counter = rs.getLong(3);
                if (rs.wasNull()) {
                    counter = 0;
                }
                if (!latest.containsKey(vehicle) || counter > latestCounter.get(vehicle)) {
                    latest.put(vehicle, rs.getString(2));
                    latestCounter.put(vehicle, counter);
                }
            }
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        FleetSnapshot.VEHICLE_STATES.forEach(n -> out.put(n, 0));
        latest.values().forEach(st -> out.merge(st, 1, Integer::sum));
        out.put(FleetSnapshot.IDLE, Math.max(0, vehicles - latest.size()));
        return out;
    }
}

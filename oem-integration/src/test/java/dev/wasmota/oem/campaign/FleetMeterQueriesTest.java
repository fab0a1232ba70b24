package dev.wasmota.oem.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
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
 * The fleet meters' vehicle counts by state and by last report, read from vehicle_fleet_state
 * (issue 20), equal to what the earlier queries over every action counted (a correlated
 * MAX(updated_at) per action, reduced in Java; the latest REPORTED action per vehicle), and equal
 * again after the table is filled the way migration V90 fills it, on
 * a fixture with two campaigns, answered, expired and idle vehicles, and two actions of a vehicle
 * changed at the same instant (the later instruction wins, a missing counter counting as 0). The
 * open campaigns' actions by status, summed from the per-wave counters (issue 20, fourth round),
 * equal the earlier join over every action at each step of the fixture, which goes on through a
 * pause, a created campaign, expiry and a rollback with its rollback instruction answered.
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
        sameOpenActions("no campaign");
        Campaign first = kit.service.start(kit.service.create(kit.spec(kit.v2, fleet.subList(0, 6), "100%").advanceAt(100)
                .stopAt(100).build()).id());
        sameOpenActions("the first campaign started");
        kit.answer(kit.outbox.lastTo("veh-1"), Action.Status.COMMITTED);
        sameOpenActions("veh-1 committed");
        kit.answer(kit.outbox.lastTo("veh-2"), Action.Status.FAILED);
        sameOpenActions("veh-2 failed");
        kit.clock.advance(Duration.ofHours(3));
        kit.answer(kit.outbox.lastTo("veh-3"), Action.Status.COMMITTED);
        sameOpenActions("veh-3 committed");
        kit.service.abort(first.id());
        sameOpenActions("the first campaign aborted");
        kit.clock.advance(Duration.ofHours(1));
        Campaign second = kit.service.start(kit.service.create(kit.spec(kit.v2, fleet.subList(2, 8), "100%").advanceAt(100)
                .stopAt(100).build()).id());
        sameOpenActions("the second campaign started");
        kit.answer(kit.outbox.lastTo("veh-4"), Action.Status.COMMITTED);
        sameOpenActions("veh-4 committed");
        // veh-3 was instructed again by the second campaign after its commit in the first;
        // veh-1: a rollback instructed at the instant its install changed (the later counter wins);
        // veh-2: a rollback created at the instant its install failed, without a counter (0: the install wins)
        kit.db.transaction(c -> {
            Action install1 = ActionRows.find(c, first.id(), "veh-1", Action.Kind.INSTALL).orElseThrow();
            ActionRows.insert(c, first.id(), "veh-1", Action.Kind.ROLLBACK, 0, 0, install1.updatedAt());
            Action rollback1 = ActionRows.find(c, first.id(), "veh-1", Action.Kind.ROLLBACK).orElseThrow();
            ActionRows.issued(c, rollback1, new Action.Issued("tie-1", 1_000L, "nonce-1", "a".repeat(64),
                    install1.updatedAt(), install1.updatedAt().plus(Duration.ofDays(1))), new byte[] {1});
            Action install2 = ActionRows.find(c, first.id(), "veh-2", Action.Kind.INSTALL).orElseThrow();
            ActionRows.insert(c, first.id(), "veh-2", Action.Kind.ROLLBACK, 0, 1, install2.updatedAt());
            return null;
        });
        sameOpenActions("rollback actions in the aborted campaign");

        FleetSnapshot s = FleetSnapshot.read(kit.db, kit.clock.instant());

        assertEquals(kit.db.transaction(c -> earlierByState(c, s.vehicles())), s.vehiclesByState());
        assertEquals(kit.db.transaction(c -> earlierBySeen(c, s.vehicles(), kit.clock.instant())), s.vehiclesBySeen());
        assertEquals(Map.of("IDLE", 1, "PENDING", 0, "INSTRUCTED", 6, "COMMITTED", 1, "FAILED", 1, "ROLLED_BACK", 0,
                "EXCLUDED", 0), s.vehiclesByState(), s.vehiclesByState()::toString);
        assertEquals(Map.of("1h", 2, "1d", 2, "7d", 0, "older", 0, "never", 5), s.vehiclesBySeen(),
                "veh-3 reported just an hour ago");

        // an OEM database upgraded to version 90 fills the table from the actions: the same counts
        kit.db.transaction(c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM vehicle_fleet_state");
                st.executeUpdate(backfill());
            }
            return null;
        });
        FleetSnapshot upgraded = FleetSnapshot.read(kit.db, kit.clock.instant());
        assertEquals(s.vehiclesByState(), upgraded.vehiclesByState());
        assertEquals(s.vehiclesBySeen(), upgraded.vehiclesBySeen());
        assertEquals(Map.of(Action.Status.PENDING, 0, Action.Status.INSTRUCTED, 5, Action.Status.COMMITTED, 1,
                Action.Status.FAILED, 0, Action.Status.ROLLED_BACK, 0, Action.Status.EXCLUDED, 0), s.activeActions(),
                "the second campaign's six actions");

        kit.service.pause(second.id());
        sameOpenActions("the second campaign paused");
        kit.service.resume(second.id());
        Campaign third = kit.service.create(kit.spec(kit.v2, List.of("veh-9"), "100%").build());
        assertEquals(1, sameOpenActions("a campaign created").get(Action.Status.PENDING));
        kit.service.start(third.id());
        sameOpenActions("the third campaign started");
        kit.clock.advance(Duration.ofDays(30));
        kit.service.tick();
        assertEquals(5, sameOpenActions("every open instruction expired").get(Action.Status.FAILED),
                "the second campaign's five, paused below its threshold; the third stopped (not counted)");
        kit.service.rollback(second.id());
        assertEquals(1, kit.db.transaction(c -> ActionRows.of(c, second.id())).stream()
                .filter(a -> a.kind() == Action.Kind.ROLLBACK).count(), "veh-4's rollback");
        sameOpenActions("the second campaign rolled back (its rollback instructed)");
        kit.answer(kit.outbox.lastTo("veh-4"), Action.Status.COMMITTED);
        sameOpenActions("veh-4's rollback committed");
    }

    /**
     * The open actions by status as the fleet meters count them now (the per-wave counters) and as
     * they were counted before (a join over every action of the campaigns not finished): equal.
     */
    private Map<Action.Status, Integer> sameOpenActions(String step) {
        Map<Action.Status, Integer> now = FleetSnapshot.read(kit.db, kit.clock.instant()).activeActions();
        assertEquals(kit.db.transaction(FleetMeterQueriesTest::earlierActiveActions), now, step);
        return now;
    }

    /** What FleetSnapshot counted as the open actions before the fourth round of issue 20: every action joined. */
    private static Map<Action.Status, Integer> earlierActiveActions(Connection c) throws SQLException {
        Map<Action.Status, Integer> out = new java.util.EnumMap<>(Action.Status.class);
        for (Action.Status st : Action.Status.values()) {
            out.put(st, 0);
        }
        try (PreparedStatement p = c.prepareStatement("SELECT a.status, COUNT(*) FROM campaign_action a JOIN campaign k"
                + " ON k.id = a.campaign_id WHERE k.state IN ('CREATED', 'RUNNING', 'PAUSED') GROUP BY a.status");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.put(Action.Status.valueOf(rs.getString(1)), rs.getInt(2));
            }
        }
        return out;
    }

    /** The INSERT of migration V90, which fills vehicle_fleet_state from the actions. */
    private static String backfill() {
        try (InputStream in = FleetMeterQueriesTest.class.getResourceAsStream(
                "/dev/wasmota/oem/db/migration/V90__vehicle_fleet_state.sql")) {
            String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String insert = script.substring(script.indexOf("INSERT INTO vehicle_fleet_state"));
            return insert.substring(0, insert.lastIndexOf(';'));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What FleetSnapshot counted before issue 20 by last report: the actions whose cause is REPORTED. */
    private static Map<String, Integer> earlierBySeen(Connection c, int vehicles, Instant now) throws SQLException {
        Map<String, Integer> out = new LinkedHashMap<>();
        FleetSnapshot.SEEN.forEach(n -> out.put(n, 0));
        int reported = 0;
        try (PreparedStatement p = c.prepareStatement("SELECT MAX(updated_at) AS t FROM campaign_action WHERE cause = ?"
                + " GROUP BY vehicle_id")) {
            p.setString(1, Action.REPORTED);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Duration ago = Duration.between(CampaignDatabase.instant(rs, "t"), now);
                    reported++;
                    String within = ago.compareTo(Duration.ofHours(1)) <= 0 ? "1h"
                            : ago.compareTo(Duration.ofDays(1)) <= 0 ? "1d"
                            : ago.compareTo(Duration.ofDays(7)) <= 0 ? "7d" : "older";
                    out.merge(within, 1, Integer::sum);
                }
            }
        }
        out.put("never", Math.max(0, vehicles - reported));
        return out;
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

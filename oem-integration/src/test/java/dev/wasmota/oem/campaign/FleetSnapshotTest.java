package dev.wasmota.oem.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet counted for the meters: vehicles by state and by last report, campaigns by state, open actions by status. */
class FleetSnapshotTest {
    @TempDir
    Path dir;

    CampaignKit kit;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir);
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    private FleetSnapshot snapshot() {
        return FleetSnapshot.read(kit.db, kit.clock.instant());
    }

    @Test
    void anEmptyOemHasEveryLabelAtZero() {
        FleetSnapshot s = snapshot();

        assertEquals(0, s.vehicles());
        assertEquals(FleetSnapshot.VEHICLE_STATES, List.copyOf(s.vehiclesByState().keySet()));
        assertEquals(FleetSnapshot.SEEN, List.copyOf(s.vehiclesBySeen().keySet()));
        assertTrue(s.vehiclesByState().values().stream().allMatch(n -> n == 0));
        assertTrue(s.vehiclesBySeen().values().stream().allMatch(n -> n == 0));
        assertEquals(Campaign.State.values().length, s.campaigns().size());
        assertEquals(Action.Status.values().length, s.activeActions().size());
        assertTrue(FleetSnapshot.reachable(kit.db));
    }

    @Test
    void countsVehiclesByTheirLatestActionAndByWhenTheyLastReported() {
        List<String> fleet = kit.vehicles(5);
        Campaign k = kit.service.start(kit.service.create(kit.spec(kit.v2, fleet.subList(0, 4), "2,100%").advanceAt(50)
                .stopAt(100).build()).id());
        kit.answer(kit.outbox.lastTo("veh-1"), Action.Status.COMMITTED);
        kit.clock.advance(Duration.ofHours(2));
        kit.answer(kit.outbox.lastTo("veh-2"), Action.Status.FAILED);

        FleetSnapshot s = snapshot();

        assertEquals(5, s.vehicles());
        assertEquals(Map.of("IDLE", 1, "PENDING", 0, "INSTRUCTED", 2, "COMMITTED", 1, "FAILED", 1, "ROLLED_BACK", 0,
                "EXCLUDED", 0),
                s.vehiclesByState(), "wave 1 answered (50% reached) so wave 2 (veh-3, veh-4) was instructed; veh-5 never targeted");
        assertEquals(Map.of("1h", 1, "1d", 1, "7d", 0, "older", 0, "never", 3), s.vehiclesBySeen());
        assertEquals(1, s.campaigns().get(Campaign.State.RUNNING), s.campaigns()::toString);
        assertEquals(2, s.activeActions().get(Action.Status.INSTRUCTED));
        assertEquals(1, s.activeActions().get(Action.Status.COMMITTED));
        assertEquals(1, s.activeActions().get(Action.Status.FAILED));

        kit.clock.advance(Duration.ofDays(8));
        FleetSnapshot later = snapshot();
        assertEquals(2, later.vehiclesBySeen().get("older"));
        assertEquals(0, later.vehiclesBySeen().get("1h"));

        kit.service.abort(k.id());
        FleetSnapshot aborted = snapshot();
        assertEquals(1, aborted.campaigns().get(Campaign.State.ABORTED));
        assertFalse(aborted.activeActions().values().stream().anyMatch(n -> n > 0), "an aborted campaign is not counted");
    }

    @Test
    void aClosedDatabaseIsNotReachable() {
        kit.db.close();

        assertFalse(FleetSnapshot.reachable(kit.db));

        kit.db = CampaignDatabase.open(kit.url, kit.clock);
    }
}

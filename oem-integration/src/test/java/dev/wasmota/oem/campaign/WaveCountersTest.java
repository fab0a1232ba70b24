package dev.wasmota.oem.campaign;

import static dev.wasmota.oem.campaign.Action.Status.COMMITTED;
import static dev.wasmota.oem.campaign.Action.Status.FAILED;
import static dev.wasmota.oem.campaign.Action.Status.ROLLED_BACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The per-wave counters kept with each action's status equal a count of the actions at every step
 * of a campaign's life: created, started, answered, expired, paused and resumed, rolled back; after
 * the database is closed and opened again; and after a transaction that changed a status was
 * rolled back (what a crash before its commit leaves).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class WaveCountersTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    CampaignKit kit;

    private String durableUrl() {
        return database == TestDatabase.H2 ? CampaignDatabase.defaultUrl(dir.resolve("oem")) : database.freshUrl();
    }

    @AfterEach
    void tearDown() {
        if (kit != null) {
            kit.close();
        }
    }

    private Map<Integer, WaveCounts> counters(String id) {
        return kit.db.transaction(c -> WaveCounters.read(c, id));
    }

    /** The counters equal the recount; returns them. */
    private Map<Integer, WaveCounts> checked(String id) {
        Map<Integer, WaveCounts> recount = kit.db.transaction(c -> WaveCounters.recount(c, id));
        assertEquals(recount, counters(id));
        return recount;
    }

    @Test
    void countersEqualARecountAtEveryStepAndAcrossARestart() {
        kit = new CampaignKit(dir, durableUrl());
        List<String> vehicles = kit.vehicles(10);
        Campaign k = kit.service.create(kit.spec(kit.v2, vehicles, "2,5,100%").advanceAt(100).stopAt(90).build());
        assertEquals(new WaveCounts(2, 2, 0, 0, 0), checked(k.id()).get(1));
        assertEquals(new WaveCounts(5, 5, 0, 0, 0), checked(k.id()).get(3));

        kit.service.start(k.id());
        assertEquals(new WaveCounts(2, 0, 2, 0, 0), checked(k.id()).get(1));

        kit.answer(kit.outbox.lastTo(vehicles.get(0)), COMMITTED);
        checked(k.id());
        kit.answer(kit.outbox.lastTo(vehicles.get(0)), COMMITTED); // a repeat changes nothing
        checked(k.id());
        kit.answer(kit.outbox.lastTo(vehicles.get(1)), COMMITTED);
        Map<Integer, WaveCounts> afterWave1 = checked(k.id());
        assertEquals(new WaveCounts(2, 0, 0, 2, 0), afterWave1.get(1));
        assertEquals(new WaveCounts(3, 0, 3, 0, 0), afterWave1.get(2));

        kit.close();
        kit.open();
        assertEquals(afterWave1, checked(k.id()));

        kit.answer(kit.outbox.lastTo(vehicles.get(2)), FAILED);
        kit.answer(kit.outbox.lastTo(vehicles.get(3)), COMMITTED);
        checked(k.id());
        kit.clock.advance(Duration.ofDays(30)); // the last instruction of wave 2 expires: counted as failed
        kit.service.tick();
        Map<Integer, WaveCounts> expired = checked(k.id());
        assertEquals(new WaveCounts(3, 0, 0, 1, 2), expired.get(2));
        assertEquals(Campaign.State.PAUSED, kit.service.get(k.id()).state());

        kit.service.resume(k.id());
        assertEquals(new WaveCounts(5, 0, 5, 0, 0), checked(k.id()).get(3));
        kit.answer(kit.outbox.lastTo(vehicles.get(5)), COMMITTED);
        kit.answer(kit.outbox.lastTo(vehicles.get(5)), ROLLED_BACK); // a rollback may follow a commit
        checked(k.id());

        kit.service.rollback(k.id());
        Map<Integer, WaveCounts> end = checked(k.id());
        assertEquals(new WaveCounts(5, 0, 4, 0, 1), end.get(3));
        assertEquals(kit.service.status(k.id()).total().committed(),
                end.values().stream().mapToInt(WaveCounts::committed).sum());
    }

    @Test
    void aStatusChangeRolledBackLeavesTheCountersAsTheActions() {
        kit = new CampaignKit(dir, durableUrl());
        List<String> vehicles = kit.vehicles(4);
        Campaign k = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "100%").advanceAt(100).build()).id());
        Map<Integer, WaveCounts> before = checked(k.id());

        assertThrows(IllegalStateException.class, () -> kit.db.transaction(c -> {
            Action a = ActionRows.find(c, k.id(), vehicles.get(0), Action.Kind.INSTALL).orElseThrow();
            ActionRows.setStatus(c, a, COMMITTED, Action.REPORTED, "lost", kit.clock.instant());
            assertEquals(1, WaveCounters.read(c, k.id()).get(1).committed());
            throw new IllegalStateException("the process died before its commit");
        }));
        kit.close();
        kit.open();

        assertEquals(before, checked(k.id()));
        kit.answer(kit.outbox.lastTo(vehicles.get(0)), COMMITTED);
        assertEquals(new WaveCounts(4, 0, 3, 1, 0), checked(k.id()).get(1));
    }

    @Test
    void aBatchsSummedMovesAreReadWithTheCountersAndARolledBackReportsAreTakenOutAgain() {
        kit = new CampaignKit(dir, durableUrl());
        List<String> vehicles = kit.vehicles(4);
        Campaign k = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "100%").advanceAt(100).build()).id());

        kit.db.transaction(c -> {
            WaveCounters.Tally tally = new WaveCounters.Tally();
            Action first = ActionRows.find(c, k.id(), vehicles.get(0), Action.Kind.INSTALL).orElseThrow();
            ActionRows.setStatus(c, first, COMMITTED, Action.REPORTED, "batch", kit.clock.instant(), tally);
            assertEquals(0, WaveCounters.read(c, k.id()).get(1).committed(), "summed, not written yet");
            assertEquals(1, WaveCounters.read(c, k.id(), tally).get(1).committed(), "read with what the batch summed");

            Map<WaveCounters.Tally.Key, Integer> before = tally.snapshot();
            java.sql.Savepoint sp = c.setSavepoint();
            Action second = ActionRows.find(c, k.id(), vehicles.get(1), Action.Kind.INSTALL).orElseThrow();
            ActionRows.setStatus(c, second, FAILED, Action.REPORTED, "refused after its move", kit.clock.instant(), tally);
            c.rollback(sp);
            tally.restore(before);

            tally.flush(c);
            return null;
        });

        assertEquals(new WaveCounts(4, 0, 3, 1, 0), checked(k.id()).get(1), "the counters as the actions: one committed");
    }
}

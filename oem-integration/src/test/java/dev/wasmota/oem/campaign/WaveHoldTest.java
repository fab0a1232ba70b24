package dev.wasmota.oem.campaign;

import static dev.wasmota.oem.campaign.Action.Status.COMMITTED;
import static dev.wasmota.oem.campaign.Action.Status.ROLLED_BACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.RejectedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Each wave is observed for the campaign's hold before the next starts; the stop rule applies throughout. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class WaveHoldTest {
    @Parameter
    TestDatabase database;

    private static final Duration HOLD = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    CampaignKit kit;
    List<String> vehicles;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir, database);
        vehicles = kit.vehicles(4);
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    /** Two vehicles per wave; advance at 100%, stop at 50%, instructions valid one hour, the hold given. */
    private Campaign started(Duration hold) {
        Campaign k = kit.service.create(kit.spec(kit.v2, vehicles, "2,100%").advanceAt(100).stopAt(50)
                .validity(Duration.ofHours(1)).hold(hold).build());
        return kit.service.start(k.id());
    }

    private List<IssuedInstruction> wave1(Campaign k) {
        return kit.outbox.of(k.id()).subList(0, 2);
    }

    private Wave wave(Campaign k, int index) {
        return kit.service.status(k.id()).waves().get(index - 1).wave();
    }

    @Test
    void waveThatReachedTheThresholdDoesNotAdvanceDuringTheHold() {
        Campaign k = started(HOLD);

        kit.answerAll(wave1(k), COMMITTED);
        kit.clock.advance(HOLD.minusSeconds(1));
        kit.service.tick();

        Campaign now = kit.service.get(k.id());
        assertEquals(Campaign.State.RUNNING, now.state());
        assertEquals(1, now.currentWave());
        assertEquals(Wave.State.RUNNING, wave(k, 1).state());
        assertEquals(2, kit.outbox.of(k.id()).size());
    }

    @Test
    void tickAfterTheHoldStartsTheNextWave() {
        Campaign k = started(HOLD);
        kit.answerAll(wave1(k), COMMITTED);

        kit.clock.advance(HOLD);
        int expired = kit.service.tick();

        assertEquals(0, expired);
        assertEquals(2, kit.service.get(k.id()).currentWave());
        assertEquals(Wave.State.PASSED, wave(k, 1).state());
        assertEquals(Fixtures.T0.plus(HOLD), wave(k, 2).startedAt().orElseThrow());
        assertEquals(List.of("veh-1", "veh-2", "veh-3", "veh-4"),
                kit.outbox.of(k.id()).stream().map(i -> i.instruction().vehicleId()).toList());
    }

    @Test
    void holdRunsFromTheWaveStartNotFromTheLastAnswer() {
        Campaign k = started(HOLD);
        kit.clock.advance(Duration.ofSeconds(50));

        kit.answerAll(wave1(k), COMMITTED);
        assertEquals(1, kit.service.get(k.id()).currentWave());
        kit.clock.advance(Duration.ofSeconds(10));
        kit.service.tick();

        assertEquals(2, kit.service.get(k.id()).currentWave());
    }

    @Test
    void lastWaveCompletesOnlyAfterItsHold() {
        Campaign k = started(HOLD);
        kit.answerAll(wave1(k), COMMITTED);
        kit.clock.advance(HOLD);
        kit.service.tick();

        kit.answerAll(kit.outbox.of(k.id()).subList(2, 4), COMMITTED);
        assertEquals(Campaign.State.RUNNING, kit.service.get(k.id()).state());
        kit.clock.advance(HOLD);
        kit.service.tick();

        assertEquals(Campaign.State.COMPLETED, kit.service.get(k.id()).state());
    }

    @Test
    void selfRollbackDuringTheHoldStopsTheCampaignBeforeTheNextWave() {
        Campaign k = started(HOLD);
        kit.answerAll(wave1(k), COMMITTED);
        kit.clock.advance(Duration.ofSeconds(30));

        StatusReceipt r = kit.answer(wave1(k).get(0), ROLLED_BACK);
        kit.clock.advance(HOLD);
        kit.service.tick();

        assertEquals(Campaign.State.STOPPED, r.campaignState());
        assertEquals(Campaign.State.STOPPED, kit.service.get(k.id()).state());
        assertEquals(Wave.State.FAILED, wave(k, 1).state());
        assertEquals(Wave.State.CANCELLED, wave(k, 2).state());
        assertEquals(2, kit.outbox.of(k.id()).size());
        assertTrue(kit.outbox.all().stream().noneMatch(i -> List.of("veh-3", "veh-4").contains(i.instruction().vehicleId())));
    }

    @Test
    void waveWithEveryAnswerBelowTheThresholdPausesDuringTheHold() {
        Campaign k = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "2,100%").advanceAt(100)
                .stopAt(100).hold(HOLD).build()).id());

        kit.answer(wave1(k).get(0), COMMITTED);
        kit.answer(wave1(k).get(1), Action.Status.FAILED);

        assertEquals(Campaign.State.PAUSED, kit.service.get(k.id()).state());
    }

    @Test
    void pausedCampaignWaitsForResumeAfterTheHold() {
        Campaign k = started(HOLD);
        kit.answerAll(wave1(k), COMMITTED);
        kit.service.pause(k.id());

        kit.clock.advance(HOLD);
        kit.service.tick();
        assertEquals(1, kit.service.get(k.id()).currentWave());

        Campaign resumed = kit.service.resume(k.id());
        assertEquals(2, resumed.currentWave());
        assertEquals(4, kit.outbox.of(k.id()).size());
    }

    @Test
    void zeroHoldAdvancesOnTheReport() {
        Campaign k = started(Duration.ZERO);

        kit.answerAll(wave1(k), COMMITTED);

        assertEquals(2, kit.service.get(k.id()).currentWave());
        assertEquals(4, kit.outbox.of(k.id()).size());
    }

    @Test
    void holdIsStoredShownAndAudited() {
        Campaign k = started(Duration.ofSeconds(30));

        assertEquals(Duration.ofSeconds(30), kit.service.get(k.id()).hold());
        String table = StatusTable.detail(kit.service.status(k.id()));
        assertTrue(table.contains("; instructions valid 1h; hold 30s\n"), table);
        assertTrue(table.contains("observed  wave 1 until 2026-06-01T08:00:30Z at least\n"), table);
        AuditRecord created = kit.auditRecords().stream().filter(r -> r.event() == AuditEvent.CAMPAIGN_CREATED)
                .findFirst().orElseThrow();
        assertTrue(created.detail().endsWith("instructions valid 3600s, hold 30s"), created.detail());
    }

    @Test
    void acceptsTheLongestHold() {
        assertTrue(kit.spec(kit.v2, vehicles, "100%").hold(CampaignSpec.MAX_HOLD).build().problems().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT-1S", "PT168H0.001S", "PT168H1S", "PT1.5S"})
    void refusesHoldThatIsNegativeTooLongOrNotWholeSeconds(String hold) {
        RejectedException e = assertThrows(RejectedException.class, () -> kit.service.create(
                kit.spec(kit.v2, vehicles, "100%").hold(Duration.parse(hold)).build()));

        assertEquals(CampaignFailure.INVALID_CAMPAIGN, e.reason());
        assertTrue(e.getMessage().contains("wave hold"), e.getMessage());
        assertTrue(kit.service.list().isEmpty());
    }
}

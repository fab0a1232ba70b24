package dev.wasmota.oem.campaign;

import static dev.wasmota.oem.campaign.Action.Status.COMMITTED;
import static dev.wasmota.oem.campaign.Action.Status.FAILED;
import static dev.wasmota.oem.campaign.Action.Status.ROLLED_BACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Waves advance exactly at the success threshold and stop exactly at the error threshold; silence counts at expiry. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class WaveThresholdTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    CampaignKit kit;
    List<String> vehicles;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir, database);
        vehicles = kit.vehicles(14);
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    /** Ten vehicles in wave 1, four in wave 2; advance at 80%, stop at 30%, instructions valid one hour. */
    private Campaign started() {
        Campaign k = kit.service.create(kit.spec(kit.v2, vehicles, "10,100%").advanceAt(80).stopAt(30)
                .validity(Duration.ofHours(1)).build());
        return kit.service.start(k.id());
    }

    private List<IssuedInstruction> wave1(Campaign k) {
        return kit.outbox.of(k.id()).subList(0, 10);
    }

    @Test
    void doesNotAdvanceBelowTheThreshold() {
        Campaign k = started();

        kit.answerAll(wave1(k).subList(0, 7), COMMITTED);

        Campaign now = kit.service.get(k.id());
        assertEquals(1, now.currentWave());
        assertEquals(Campaign.State.RUNNING, now.state());
        assertEquals(10, kit.outbox.all().size());
    }

    @Test
    void advancesExactlyAtTheThreshold() {
        Campaign k = started();
        kit.answerAll(wave1(k).subList(0, 7), COMMITTED);

        StatusReceipt r = kit.answer(wave1(k).get(7), COMMITTED);

        assertEquals(Campaign.State.RUNNING, r.campaignState());
        assertEquals(2, kit.service.get(k.id()).currentWave());
        assertEquals(14, kit.outbox.all().size());
        assertEquals(Wave.State.PASSED, kit.service.status(k.id()).waves().get(0).wave().state());
    }

    @Test
    void keepsRunningJustBelowTheStopThreshold() {
        Campaign k = started();

        kit.answerAll(wave1(k).subList(0, 2), FAILED);

        assertEquals(Campaign.State.RUNNING, kit.service.get(k.id()).state());
    }

    @Test
    void stopsAtTheErrorThreshold() {
        Campaign k = started();
        kit.answerAll(wave1(k).subList(0, 2), FAILED);

        StatusReceipt r = kit.answer(wave1(k).get(2), ROLLED_BACK);

        assertEquals(Campaign.State.STOPPED, r.campaignState());
        Campaign stopped = kit.service.get(k.id());
        assertEquals("wave 1 error rate 30% (3 of 10) reached the stop threshold 30%", stopped.cause().orElseThrow());
        CampaignStatus s = kit.service.status(k.id());
        assertEquals(Wave.State.FAILED, s.waves().get(0).wave().state());
        assertEquals(Wave.State.CANCELLED, s.waves().get(1).wave().state());
        kit.answerAll(wave1(k).subList(3, 10), COMMITTED);
        assertEquals(Campaign.State.STOPPED, kit.service.get(k.id()).state());
        assertEquals(10, kit.outbox.all().size());
        AuditRecord last = kit.auditRecords().stream().filter(a -> a.event() == AuditEvent.CAMPAIGN_STOPPED).findFirst()
                .orElseThrow();
        assertEquals("STOP_THRESHOLD", last.cause());
    }

    @Test
    void lateFailuresInAPassedWaveStillStopTheCampaign() {
        Campaign k = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "10,100%").advanceAt(70)
                .stopAt(30).build()).id());
        kit.answerAll(wave1(k).subList(0, 7), COMMITTED);
        assertEquals(2, kit.service.get(k.id()).currentWave());

        kit.answerAll(wave1(k).subList(7, 10), FAILED);

        assertEquals(Campaign.State.STOPPED, kit.service.get(k.id()).state());
    }

    @Test
    void silentVehiclesCountAsFailedOnlyAfterTheExpiry() {
        Campaign k = started();
        kit.answerAll(wave1(k).subList(0, 7), COMMITTED);

        kit.clock.advance(Duration.ofHours(1));
        assertEquals(0, kit.service.tick());
        assertEquals(3, kit.service.status(k.id()).waves().get(0).counts().awaiting());

        kit.clock.advance(Duration.ofSeconds(1));
        assertEquals(3, kit.service.tick());

        CampaignStatus s = kit.service.status(k.id());
        assertEquals(3, s.waves().get(0).counts().failed());
        assertEquals(Campaign.State.STOPPED, s.campaign().state());
        assertTrue(kit.service.actions(k.id()).stream().filter(a -> a.status() == FAILED)
                .allMatch(a -> a.cause().orElseThrow().equals(Action.EXPIRED)));
        assertEquals(0, kit.service.tick());
    }

    @Test
    void aLateAnswerReplacesTheExpiryWithoutCountingTwice() {
        Campaign k = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "10,100%").advanceAt(80)
                .stopAt(50).validity(Duration.ofHours(1)).build()).id());
        kit.answerAll(wave1(k).subList(0, 7), COMMITTED);
        kit.clock.advance(Duration.ofHours(2));
        kit.service.tick();
        assertEquals(Campaign.State.PAUSED, kit.service.get(k.id()).state());

        kit.answer(wave1(k).get(7), COMMITTED);

        WaveCounts n = kit.service.status(k.id()).waves().get(0).counts();
        assertEquals(8, n.committed());
        assertEquals(2, n.failed());
        assertEquals(Wave.State.PASSED, kit.service.status(k.id()).waves().get(0).wave().state());
    }
}

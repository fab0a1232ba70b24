package dev.wasmota.oem.campaign;

import static dev.wasmota.oem.campaign.Action.Status.COMMITTED;
import static dev.wasmota.oem.campaign.Action.Status.FAILED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.error.RejectedException;
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

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class CampaignLifecycleTest {
    @Parameter
    TestDatabase database;

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

    private Campaign started(String waves) {
        Campaign k = kit.service.create(kit.spec(kit.v2, vehicles, waves).advanceAt(100).build());
        return kit.service.start(k.id());
    }

    private static RejectedException refused(CampaignFailure reason, org.junit.jupiter.api.function.Executable step) {
        RejectedException e = assertThrows(RejectedException.class, step);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    @Test
    void createPlansWavesAndIssuesNothing() {
        Campaign k = kit.service.create(kit.spec(kit.v2, vehicles, "1,100%").build());

        assertEquals(Campaign.State.CREATED, k.state());
        assertEquals(2, k.waveCount());
        assertEquals(0, k.currentWave());
        CampaignStatus s = kit.service.status(k.id());
        assertEquals(List.of("veh-1"), s.waves().get(0).wave().members());
        assertEquals(List.of("veh-2", "veh-3", "veh-4"), s.waves().get(1).wave().members());
        assertEquals(4, s.total().notInstructed());
        assertTrue(kit.outbox.all().isEmpty());
    }

    @Test
    void startIssuesTheFirstWaveOnly() {
        Campaign k = started("1,100%");

        assertEquals(Campaign.State.RUNNING, k.state());
        assertEquals(1, k.currentWave());
        assertEquals(List.of("veh-1"), kit.outbox.all().stream().map(i -> i.instruction().vehicleId()).toList());
        CampaignStatus s = kit.service.status(k.id());
        assertEquals(Wave.State.RUNNING, s.waves().get(0).wave().state());
        assertEquals(Wave.State.PLANNED, s.waves().get(1).wave().state());
    }

    @Test
    void completesWhenTheLastWaveReachesTheThreshold() {
        Campaign k = started("1,100%");
        kit.answer(kit.outbox.lastTo("veh-1"), COMMITTED);
        kit.answerAll(kit.outbox.of(k.id()).subList(1, 4), COMMITTED);

        assertEquals(Campaign.State.COMPLETED, kit.service.get(k.id()).state());
        CampaignStatus s = kit.service.status(k.id());
        assertEquals(List.of(Wave.State.PASSED, Wave.State.PASSED), s.waves().stream().map(w -> w.wave().state()).toList());
        assertEquals(4, s.total().committed());
    }

    @Test
    void refusesUnknownCampaign() {
        RejectedException e = refused(CampaignFailure.UNKNOWN_CAMPAIGN, () -> kit.service.start("c-nosuch"));

        assertEquals(4, e.exitCode().code());
        refused(CampaignFailure.UNKNOWN_CAMPAIGN, () -> kit.service.status("c-nosuch"));
    }

    @Test
    void refusesToResumeACompletedCampaign() {
        Campaign k = started("100%");
        kit.answerAll(kit.outbox.of(k.id()), COMMITTED);
        assertEquals(Campaign.State.COMPLETED, kit.service.get(k.id()).state());

        RejectedException e = refused(CampaignFailure.ILLEGAL_TRANSITION, () -> kit.service.resume(k.id()));

        assertEquals("campaign " + k.id() + " is COMPLETED; only a PAUSED campaign can become RUNNING", e.getMessage());
        assertEquals(4, e.exitCode().code());
    }

    @Test
    void refusesToStartTwiceOrPauseBeforeTheStart() {
        Campaign k = kit.service.create(kit.spec(kit.v2, vehicles, "100%").build());
        refused(CampaignFailure.ILLEGAL_TRANSITION, () -> kit.service.pause(k.id()));
        refused(CampaignFailure.ILLEGAL_TRANSITION, () -> kit.service.resume(k.id()));
        kit.service.start(k.id());

        refused(CampaignFailure.ILLEGAL_TRANSITION, () -> kit.service.start(k.id()));
        assertEquals(4, kit.outbox.all().size());
    }

    @Test
    void pauseHoldsTheNextWaveAndResumeReleasesIt() {
        Campaign k = started("1,100%");
        kit.service.pause(k.id());

        kit.answer(kit.outbox.lastTo("veh-1"), COMMITTED);

        assertEquals(Campaign.State.PAUSED, kit.service.get(k.id()).state());
        assertEquals(Wave.State.PASSED, kit.service.status(k.id()).waves().get(0).wave().state());
        assertEquals(1, kit.outbox.all().size());

        Campaign resumed = kit.service.resume(k.id());

        assertEquals(Campaign.State.RUNNING, resumed.state());
        assertEquals(2, resumed.currentWave());
        assertEquals(4, kit.outbox.all().size());
    }

    @Test
    void abortIssuesNothingMore() {
        Campaign k = started("1,100%");
        Campaign aborted = kit.service.abort(k.id());
        assertEquals(Campaign.State.ABORTED, aborted.state());

        kit.answer(kit.outbox.lastTo("veh-1"), COMMITTED);
        kit.clock.advance(Duration.ofDays(2));
        kit.service.tick();

        assertEquals(1, kit.outbox.all().size());
        CampaignStatus s = kit.service.status(k.id());
        assertEquals(Campaign.State.ABORTED, s.campaign().state());
        assertEquals(1, s.total().committed());
        assertEquals(3, s.total().notInstructed());
        assertEquals(List.of(Wave.State.CANCELLED, Wave.State.CANCELLED),
                s.waves().stream().map(w -> w.wave().state()).toList());
        refused(CampaignFailure.ILLEGAL_TRANSITION, () -> kit.service.resume(k.id()));
    }

    @Test
    void waveEndingBelowTheThresholdPausesAndResumeAcceptsIt() {
        Campaign k = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "2,100%").advanceAt(100)
                .stopAt(60).build()).id());
        kit.answer(kit.outbox.lastTo("veh-1"), COMMITTED);
        kit.answer(kit.outbox.lastTo("veh-2"), FAILED);

        Campaign paused = kit.service.get(k.id());
        assertEquals(Campaign.State.PAUSED, paused.state());
        assertTrue(paused.cause().orElseThrow().contains("below the advance threshold 100%"), paused.cause().toString());

        Campaign resumed = kit.service.resume(k.id());

        assertEquals(2, resumed.currentWave());
        assertEquals(4, kit.outbox.all().size());
    }

    @Test
    void everyStepWritesAnAuditRecord() {
        Campaign k = started("1,100%");
        kit.service.pause(k.id());
        kit.service.resume(k.id());
        kit.answer(kit.outbox.lastTo("veh-1"), COMMITTED);
        kit.answerAll(kit.outbox.of(k.id()).subList(1, 4), COMMITTED);

        List<AuditEvent> events = kit.auditRecords().stream().map(AuditRecord::event).toList();

        assertEquals(List.of(AuditEvent.CAMPAIGN_CREATED, AuditEvent.CAMPAIGN_STARTED, AuditEvent.CAMPAIGN_WAVE_STARTED,
                AuditEvent.CAMPAIGN_PAUSED, AuditEvent.CAMPAIGN_RESUMED, AuditEvent.CAMPAIGN_STATUS_RECEIVED,
                AuditEvent.CAMPAIGN_WAVE_STARTED, AuditEvent.CAMPAIGN_STATUS_RECEIVED,
                AuditEvent.CAMPAIGN_STATUS_RECEIVED, AuditEvent.CAMPAIGN_STATUS_RECEIVED,
                AuditEvent.CAMPAIGN_COMPLETED), events);
        AuditRecord created = kit.auditRecords().get(0);
        assertEquals(k.id(), created.campaignId());
        assertEquals("healthy", created.moduleId());
        assertEquals("2.0.0", created.toVersion());
        assertEquals("test", created.actor());
        assertTrue(AuditLogVerify.ok(kit));
    }

    /** The OEM log's hash chain holds. */
    private static final class AuditLogVerify {
        static boolean ok(CampaignKit kit) {
            return kit.audit.verify().ok();
        }
    }
}

package dev.wasmota.oem.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Campaigns read without the service (no keys, no audit log): a campaign's status, and the instructions awaiting an answer. */
class CampaignViewTest {
    @TempDir
    Path dir;

    CampaignKit kit;
    Campaign campaign;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir);
        campaign = kit.service.start(kit.service.create(kit.spec(kit.v2, kit.vehicles(3), "2,100%").advanceAt(100)
                .stopAt(100).build()).id());
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    @Test
    void statusIsWhatTheServiceReports() {
        kit.answer(kit.outbox.lastTo("veh-1"), Action.Status.COMMITTED);

        assertEquals(kit.service.status(campaign.id()), CampaignView.status(kit.db, campaign.id()));
    }

    @Test
    void statusCountedInTheDatabaseIsTheStatusThroughEveryStep() {
        assertEquals(CampaignView.status(kit.db, campaign.id()), CampaignView.statusCounted(kit.db, campaign.id()));
        kit.answer(kit.outbox.lastTo("veh-1"), Action.Status.COMMITTED);
        kit.answer(kit.outbox.lastTo("veh-2"), Action.Status.FAILED);
        assertEquals(CampaignView.status(kit.db, campaign.id()), CampaignView.statusCounted(kit.db, campaign.id()));
        kit.service.rollback(campaign.id());
        CampaignStatus rolledBack = CampaignView.statusCounted(kit.db, campaign.id());
        assertEquals(CampaignView.status(kit.db, campaign.id()), rolledBack);
        assertEquals(1, rolledBack.rollback().orElseThrow().members());
        assertEquals(2, rolledBack.total().instructed());
    }

    @Test
    void awaitingAnswerListsTheInstructedUnansweredUnexpiredInstructionsOfCampaignsStillSendingThem() {
        IssuedInstruction first = kit.outbox.lastTo("veh-1");
        IssuedInstruction second = kit.outbox.lastTo("veh-2");
        kit.answer(first, Action.Status.COMMITTED);

        List<CampaignView.Awaited> awaited = CampaignView.awaitingAnswer(kit.db, kit.clock.instant());

        assertEquals(List.of(new CampaignView.Awaited("veh-2", campaign.id(), second.instruction().instructionId(),
                second.instruction().issuedAt(), second.instruction().expiresAt())), awaited,
                "veh-1 answered; veh-3's wave has not started");

        kit.clock.advance(Duration.ofDays(2));
        assertTrue(CampaignView.awaitingAnswer(kit.db, kit.clock.instant()).isEmpty(), "expired");
    }

    @Test
    void anAbortedCampaignAwaitsNothing() {
        kit.service.abort(campaign.id());

        assertTrue(CampaignView.awaitingAnswer(kit.db, kit.clock.instant()).isEmpty());
    }
}

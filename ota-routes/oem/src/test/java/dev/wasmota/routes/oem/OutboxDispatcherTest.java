package dev.wasmota.routes.oem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.IssuedInstruction;
import dev.wasmota.oem.campaign.Outbox;
import dev.wasmota.oem.campaign.OutboxQueue;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.TestDatabase;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.release.Release;
import dev.wasmota.protocol.Topics;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.Packager;
import dev.wasmota.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The dispatcher over the database outbox: a step's instructions are in the outbox the moment it
 * commits, so a worker killed right after the commit loses none; a dead worker's claims are taken
 * over by another once its lease has run out, and that is audited.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class OutboxDispatcherTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(Fixtures.T0.plus(Duration.ofHours(1)));

    private String campaignOn(CampaignWorkspace ws, Fixtures fx, List<String> vehicles) {
        Release r = ws.releases().publish(PackageFile.toBytes(fx.countersigned(fx.supplierSigned(Packager.build(
                Fixtures.wasm("healthy_v1.wasm"), Fixtures.spec("healthy", "1.0.0", 1, Fixtures.HEALTHY_CAPS)), fx.acme))));
        vehicles.forEach(id -> ws.vehicles().register(id, "ecu-a"));
        return ws.campaigns().create(CampaignSpec.builder(r.id(), Targets.vehicles(vehicles), WavePlan.parse("2,100%"))
                .build()).id();
    }

    private OutboxDispatcher dispatcher(CampaignWorkspace ws, Fixtures fx, String worker) {
        return new OutboxDispatcher(ws.outbox(), ws.releases(), ws.trail(), worker, fx.oem::trustStore, new Topics("t"),
                clock, Duration.ZERO);
    }

    @Test
    void aWorkerKilledRightAfterAStepsCommitLosesNoneOfItsInstructions() {
        Fixtures fx = new Fixtures(dir);
        Path oem = fx.oemDir();
        Optional<String> db = Optional.of(database.freshUrl());
        Outbox killed = issued -> {
            throw new IllegalStateException("the process died after the commit");
        };
        String campaignId;
        try (CampaignWorkspace ws = CampaignWorkspace.open(oem, db, clock, new Random(1), "test", Optional.of(killed))) {
            campaignId = campaignOn(ws, fx, List.of("veh-1", "veh-2", "veh-3"));
            assertThrows(IllegalStateException.class, () -> ws.campaigns().start(campaignId));
        }

        try (CampaignWorkspace ws = CampaignWorkspace.open(oem, db, clock, new Random(2), "test", Optional.empty())) {
            assertEquals(Campaign.State.RUNNING, ws.campaigns().get(campaignId).state(), "the step committed");
            ws.leases().acquire("w1", LEASE);
            OutboxDispatcher d = dispatcher(ws, fx, "w1");

            List<OutboxQueue.Message> claimed = d.take();

            List<IssuedInstruction> recorded = ws.campaigns().unanswered();
            assertEquals(2, recorded.size(), "wave 1's two instructions");
            assertEquals(2, claimed.size(), "both in the outbox");
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(recorded.get(i).file(), claimed.get(i).payload(), "the signed instruction as recorded");
                assertEquals(recorded.get(i).fileName(), claimed.get(i).fileName());
            }
            claimed.forEach(m -> ws.outbox().sent(m.id(), "w1"));
            assertEquals(List.of(), d.take(), "each once");
        }
    }

    @Test
    void aDeadWorkersClaimsAreTakenOverOnceItsLeaseRunsOutAndThatIsAudited() {
        Fixtures fx = new Fixtures(dir);
        try (CampaignWorkspace ws = CampaignWorkspace.open(fx.oemDir(), Optional.of(database.freshUrl()), clock,
                new Random(1), "test", Optional.empty())) {
            ws.campaigns().start(campaignOn(ws, fx, List.of("veh-1", "veh-2", "veh-3", "veh-4")));
            ws.leases().acquire("w1", LEASE);
            ws.leases().acquire("w2", LEASE);
            OutboxDispatcher w1 = dispatcher(ws, fx, "w1");
            OutboxDispatcher w2 = dispatcher(ws, fx, "w2");
            assertEquals(2, w1.take().size());

            assertEquals(List.of(), w2.take(), "w1 holds them while its lease is live");
            clock.advance(LEASE.plusSeconds(1));
            ws.leases().renew("w2", LEASE);
            List<OutboxQueue.Message> taken = w2.take();

            assertEquals(2, taken.size());
            List<AuditRecord> takeovers = ws.trail().records(AuditEvent.OEM_CLAIMS_TAKEN_OVER);
            assertEquals(1, takeovers.size());
            assertEquals("oem-serve:w2", takeovers.get(0).actor());
            assertTrue(takeovers.get(0).detail().contains("took over 2 outbox message(s) claimed by worker w1"),
                    takeovers.get(0).detail());
        }
    }

    @Test
    void aClaimWhosePublishOrSentMarkFailedGoesOutAgainAtTheNextScan() {
        Fixtures fx = new Fixtures(dir);
        try (CampaignWorkspace ws = CampaignWorkspace.open(fx.oemDir(), Optional.of(database.freshUrl()), clock,
                new Random(1), "test", Optional.empty())) {
            ws.campaigns().start(campaignOn(ws, fx, List.of("veh-1", "veh-2")));
            ws.leases().acquire("w1", LEASE);
            OutboxDispatcher d = dispatcher(ws, fx, "w1");
            List<OutboxQueue.Message> first = d.take();
            ws.outbox().sent(first.get(0).id(), "w1");

            List<OutboxQueue.Message> again = d.take();

            assertEquals(List.of(first.get(1).id()), again.stream().map(OutboxQueue.Message::id).toList(),
                    "the one never marked sent, not the sent one");
        }
    }

    @Test
    void aWorkerStartingAgainPutsBackWhatItHadClaimed() {
        Fixtures fx = new Fixtures(dir);
        try (CampaignWorkspace ws = CampaignWorkspace.open(fx.oemDir(), Optional.of(database.freshUrl()), clock,
                new Random(1), "test", Optional.empty())) {
            ws.campaigns().start(campaignOn(ws, fx, List.of("veh-1", "veh-2")));
            ws.leases().acquire("w1", LEASE);
            assertEquals(2, dispatcher(ws, fx, "w1").take().size());

            OutboxDispatcher again = dispatcher(ws, fx, "w1");

            assertEquals(2, again.recover());
            assertEquals(2, again.take().size());
        }
    }
}

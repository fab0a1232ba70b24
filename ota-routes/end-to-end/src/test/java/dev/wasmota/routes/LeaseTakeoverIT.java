package dev.wasmota.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.MosquittoBroker;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.testkit.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two OEM workers on different OEM directories (each its own copy of the keys), sharing only a
 * PostgreSQL database and the broker, each in its own JVM ({@link OemChild}). Worker w1 is killed
 * ({@code kill -9}) while its claimed instructions wait on a frozen broker; worker w2, started on the
 * other directory, takes those claims over once w1's lease has run out, with no operator's
 * {@code --retire}, and audits it; every vehicle installs once. When w1 comes back, it handles the
 * status reports the broker kept for its session, and the campaign completes with each counted once.
 */
class LeaseTakeoverIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int LEASE_SECONDS = 5;

    @TempDir
    static Path brokerDir;
    static MosquittoBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = MosquittoBroker.start(BrokerSettings.builder(brokerDir).port(0).maxMessageBytes(10 * 1024 * 1024).build());
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        OemProcess.killLeftovers();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aKilledWorkersClaimsAreTakenOverByAWorkerOnAnotherDirectoryOnceItsLeaseRunsOut() throws Exception {
        Fixtures fx = new Fixtures(dir);
        String db = PostgresServer.shared().freshDatabaseUrl();
        try (PipelineKit kit = new PipelineKit(dir, fx, broker, false, "lease" + System.nanoTime(), db)) {
            List<String> ids = FaultKit.vehicles(4);
            Campaign c = FaultKit.prepare(kit, ids, "4", false);
            FaultKit.connect(kit, ids, Duration.ZERO);
            OemProcess w1 = OemProcess.start(kit, kit.dir.resolve("oem"), "w1", 1, LEASE_SECONDS);

            broker.pause();
            int claimedAtKill;
            try {
                w1.startCampaign(c.id());
                PipelineKit.await("w1's claims to wait on the frozen broker", WAIT,
                        () -> FaultKit.claimed(kit) >= 1 && FaultKit.claimed(kit) + FaultKit.waiting(kit) == ids.size());
                assertEquals(137, w1.kill(), "SIGKILL");
                claimedAtKill = FaultKit.claimed(kit);
            } finally {
                broker.resume();
            }
            long killedAt = System.nanoTime();
            OemProcess w2 = OemProcess.start(kit, kit.oemDirOf("w2"), "w2", 1, LEASE_SECONDS);

            PipelineKit.await("every vehicle to install, w1's claims sent by w2", WAIT,
                    () -> FaultKit.vehiclesCommitted(kit) == ids.size());
            long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
            List<AuditRecord> takeovers = kit.trail().records(AuditEvent.OEM_CLAIMS_TAKEN_OVER);
            System.out.printf("LeaseTakeoverIT: w1 killed holding %d claim(s); every vehicle installed %d ms later%n",
                    claimedAtKill, tookMs);
            assertTrue(claimedAtKill >= 1, "the kill left a claim in flight");
            // w1 renewed its lease every third of it, so it ran out at least two thirds of it after the kill
            assertTrue(tookMs >= LEASE_SECONDS * 1000L * 2 / 3 - 100, "not before w1's lease ran out: " + tookMs + " ms");
            assertTrue(!takeovers.isEmpty() && takeovers.stream().allMatch(r -> "oem-serve:w2".equals(r.actor())
                    && r.detail().contains("claimed by worker w1")), takeovers.toString());
            assertEquals(claimedAtKill, takeovers.stream().mapToInt(LeaseTakeoverIT::count).sum(), "each claim taken over");
            assertEquals(0, FaultKit.claimed(kit) + FaultKit.waiting(kit));

            OemProcess again = OemProcess.start(kit, kit.dir.resolve("oem"), "w1", 2, LEASE_SECONDS);
            PipelineKit.await("the campaign to complete once w1 handled the reports its session kept", WAIT,
                    () -> w2.state(c.id()).equals(Campaign.State.COMPLETED.name()));
            again.stop();
            w2.stop();
            FaultKit.assertCompletedExactlyOnce(kit, c, ids);
        }
    }

    private static int count(AuditRecord takeover) {
        String d = takeover.detail();
        int at = d.indexOf("took over ") + "took over ".length();
        return Integer.parseInt(d.substring(at, d.indexOf(' ', at)));
    }
}

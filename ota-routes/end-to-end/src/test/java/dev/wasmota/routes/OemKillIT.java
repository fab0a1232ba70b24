package dev.wasmota.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.MosquittoBroker;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.campaign.Campaign;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OEM killed ({@code kill -9}) mid-campaign: the OEM worker runs in its own JVM
 * ({@link OemChild}) on the OEM directory and its default database (the embedded H2 file, served by
 * the worker to this test's connection, and by this test to the restarted worker), the vehicles in
 * this JVM, Mosquitto outlives the OEM. After a restart the campaign resumes and completes, every
 * vehicle installed exactly once, no status is lost (those sent while the OEM was down wait in its
 * persistent session) or counted twice, and every audit log verifies.
 */
class OemKillIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String WORKER = "w1";
    private static final Duration SLOW_LINK = Duration.ofMillis(1500);

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
    void oemKilledBetweenWavesResumesAndLosesNoStatus() throws Exception {
        try (PipelineKit kit = new PipelineKit(dir, broker)) {
            List<String> ids = FaultKit.vehicles(12);
            Campaign c = FaultKit.prepare(kit, ids, "2,6,12", true);
            FaultKit.connect(kit, ids, SLOW_LINK);

            OemProcess oem = OemProcess.start(kit, WORKER, 1);
            PipelineKit.await("wave 2 to be sent", WAIT, () -> FaultKit.sent(kit) > 2);
            assertEquals(137, oem.kill(), "SIGKILL");
            int committedAtKill = FaultKit.vehiclesCommitted(kit);
            int sentAtKill = FaultKit.sent(kit);
            int claimsInFlight = FaultKit.claimed(kit);
            assertTrue(committedAtKill >= 2 && committedAtKill < ids.size(), "killed mid-campaign: " + committedAtKill
                    + " committed");

            PipelineKit.await("the vehicles instructed before the kill to commit while the OEM is down", WAIT,
                    () -> FaultKit.vehiclesCommitted(kit) >= sentAtKill);
            Thread.sleep(500);
            int committedWhileDown = FaultKit.vehiclesCommitted(kit) - committedAtKill;
            // usually some of wave 2 report while the OEM is down; on a loaded machine all of them may
            // have reported before the kill (the dispatcher marks a round sent at once): either way,
            // every report and the later waves must be recorded after the restart (checked below)
            System.out.printf("OemKillIT: killed with %d committed, %d sent, %d claims in flight; %d committed while down%n",
                    committedAtKill, sentAtKill, claimsInFlight, committedWhileDown);
            long recordsBefore = kit.trail().size();

            OemProcess again = OemProcess.start(kit, WORKER, 2);
            PipelineKit.await("the campaign to complete after the restart", WAIT,
                    () -> again.state(c.id()).equals(Campaign.State.COMPLETED.name()));
            again.stop();

            FaultKit.assertCompletedExactlyOnce(kit, c, ids);
            List<AuditRecord> trail = kit.trail().records();
            List<AuditRecord> afterRestart = trail.subList((int) recordsBefore, trail.size());
            long reportedWhileDown = ids.stream().filter(id -> FaultKit.statusRecords(afterRestart, id) > 0).count();
            assertTrue(reportedWhileDown >= ids.size() - committedAtKill, "the statuses sent while the OEM was down ("
                    + committedWhileDown + ") and the later waves are recorded after the restart: " + reportedWhileDown);
        }
    }

    @Test
    void oemKilledWhilePublishingPutsItsClaimsBackAndNothingInstallsTwice() throws Exception {
        try (PipelineKit kit = new PipelineKit(dir, broker)) {
            List<String> ids = FaultKit.vehicles(4);
            Campaign c = FaultKit.prepare(kit, ids, "4", false);
            FaultKit.connect(kit, ids, Duration.ZERO);
            OemProcess oem = OemProcess.start(kit, WORKER, 1);

            broker.pause();
            int claimedAtKill;
            try {
                oem.startCampaign(c.id());
                PipelineKit.await("a claimed instruction's publish to wait on the frozen broker", WAIT,
                        () -> FaultKit.claimed(kit) >= 1 && FaultKit.claimed(kit) + FaultKit.waiting(kit) == ids.size());
                assertEquals(137, oem.kill());
                claimedAtKill = FaultKit.claimed(kit);
            } finally {
                broker.resume();
            }
            assertTrue(claimedAtKill >= 1, "the kill left a claim in flight");
            assertEquals(0, FaultKit.sent(kit));

            OemProcess again = OemProcess.start(kit, WORKER, 2);
            PipelineKit.await("the campaign to complete after the restart", WAIT,
                    () -> again.state(c.id()).equals(Campaign.State.COMPLETED.name()));
            again.stop();

            assertEquals(0, FaultKit.claimed(kit), "the restarted worker put its claims back and sent them");
            assertEquals(ids.size(), FaultKit.sent(kit));
            FaultKit.assertCompletedExactlyOnce(kit, c, ids);
        }
    }
}

package dev.wasmota.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.VerifyResult;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.OutboxQueue;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.release.Release;
import dev.wasmota.routes.vehicle.VehicleNode;
import dev.wasmota.signing.pkg.PackageFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * What the fault tests (OEM killed, broker restarted) share: a campaign prepared in the OEM's
 * database from this JVM (as an operator's command would, workers running or not), slow-link
 * vehicles, and the end checks: every vehicle committed exactly once, every status recorded once,
 * every vehicle log and the OEM's trail verify.
 */
final class FaultKit {
    static final String VERSION = "1.0.0";

    private FaultKit() {
    }

    static List<String> vehicles(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> String.format("veh-%02d", i)).toList();
    }

    /** A workspace on the kit's OEM directory and database, in this JVM, as an operator's command opens it. */
    static CampaignWorkspace workspace(PipelineKit kit) {
        return CampaignWorkspace.open(kit.dir.resolve("oem"), Optional.of(kit.dbUrl()), PipelineKit.CLOCK, new Random(5),
                "fault-test");
    }

    /** Publishes healthy 1.0.0, registers {@code ids} and creates (and with {@code start}, starts) a campaign. */
    static Campaign prepare(PipelineKit kit, List<String> ids, String waves, boolean start) {
        try (CampaignWorkspace ws = workspace(kit)) {
            Release release = ws.releases().publish(PackageFile.toBytes(kit.fx.countersigned(kit.healthy(VERSION, 1,
                    "healthy_v1.wasm"))));
            ids.forEach(id -> ws.vehicles().register(id, "ecu-a"));
            Campaign c = ws.campaigns().create(CampaignSpec.builder(release.id(), Targets.vehicles(ids),
                    WavePlan.parse(waves)).build());
            return start ? ws.campaigns().start(c.id()) : c;
        }
    }

    /** Connects {@code ids}, each taking {@code linkDelay} to handle an update (a slow link). */
    static void connect(PipelineKit kit, List<String> ids, Duration linkDelay) {
        for (String id : ids) {
            kit.startVehicle(id, new VehicleNode.Options(Optional.empty(), linkDelay));
        }
    }

    static long installsCommitted(PipelineKit kit, String id) {
        return AuditLog.read(kit.hosts.get(id).auditFile()).stream().filter(r -> r.event() == AuditEvent.INSTALL_COMMITTED)
                .count();
    }

    static int vehiclesCommitted(PipelineKit kit) {
        return (int) kit.hosts.keySet().stream().filter(id -> installsCommitted(kit, id) > 0).count();
    }

    /** Outbox messages sent (acknowledged by the broker). */
    static int sent(PipelineKit kit) {
        return kit.outbox(OutboxQueue.State.SENT);
    }

    /** Outbox messages claimed by a worker, not yet acknowledged. */
    static int claimed(PipelineKit kit) {
        return kit.outbox(OutboxQueue.State.CLAIMED);
    }

    /** Outbox messages waiting for a worker. */
    static int waiting(PipelineKit kit) {
        return kit.outbox(OutboxQueue.State.WAITING);
    }

    /** The accepted status records of {@code vehicle} in the OEM's trail. */
    static long statusRecords(List<AuditRecord> oemLog, String vehicle) {
        return oemLog.stream().filter(r -> r.event() == AuditEvent.CAMPAIGN_STATUS_RECEIVED
                && r.outcome() != AuditRecord.Outcome.REFUSED && r.detail().startsWith("vehicle " + vehicle + " ")).count();
    }

    /**
     * The end state every fault must reach: the campaign completed with every action committed,
     * each vehicle running a verified committed slot of the release it installed exactly once,
     * one status record per vehicle, and every audit log (the vehicles' and the OEM's trail) intact.
     */
    static void assertCompletedExactlyOnce(PipelineKit kit, Campaign c, List<String> ids) {
        String releaseSha;
        try (CampaignWorkspace ws = workspace(kit)) {
            assertEquals(Campaign.State.COMPLETED, ws.campaigns().get(c.id()).state());
            List<Action> actions = ws.campaigns().actions(c.id());
            assertEquals(ids.size(), actions.size());
            actions.forEach(a -> assertEquals(Action.Status.COMMITTED, a.status(), a.vehicleId()));
            releaseSha = ws.releases().find("healthy", VERSION).orElseThrow().packageSha256();
        }
        for (String id : ids) {
            EcuHost host = kit.hosts.get(id);
            assertEquals(1, installsCommitted(kit, id), id + " installed exactly once");
            ModuleState s = host.modules().get(0);
            assertEquals(VERSION, s.activeMetadata().version(), id);
            assertEquals(releaseSha, s.activeMetadata().packageSha256(), id);
            assertVerifies(host.auditFile());
        }
        // the campaign completes as the last report's transaction commits; its audit record follows
        long end = System.nanoTime() + 10_000_000_000L;
        List<AuditRecord> oemRecords = kit.trail().records();
        while (System.nanoTime() < end && !everyoneReported(oemRecords, ids)) {
            sleepBriefly();
            oemRecords = kit.trail().records();
        }
        for (String id : ids) {
            assertEquals(1, statusRecords(oemRecords, id), id + "'s status is recorded once");
        }
        VerifyResult trail = kit.trail().verify();
        assertTrue(trail.ok(), () -> "the OEM's trail: " + trail.summary());
    }

    private static boolean everyoneReported(List<AuditRecord> oemRecords, List<String> ids) {
        return ids.stream().allMatch(id -> statusRecords(oemRecords, id) > 0);
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static void assertVerifies(Path log) {
        VerifyResult v = AuditLog.verify(log);
        assertTrue(v.ok(), () -> log + ": " + v.summary());
    }
}

package dev.wasmota.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerKind;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.release.Release;
import dev.wasmota.routes.oem.OemNode;
import dev.wasmota.signing.pkg.PackageFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An OEM worker taken out of service keeps its persistent sessions, and Mosquitto keeps giving
 * them a share of the status reports (for the sessions' whole expiry): a campaign then waits on
 * reports nobody handles. Retiring the worker handles what was queued for it and ends its
 * sessions, after which the remaining worker gets every report.
 */
class RetireWorkerIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void retiringAWorkerHandlesItsQueuedReportsAndEndsItsShare() throws Exception {
        try (Broker broker = BrokerKind.MOSQUITTO.start(Brokers.settings(dir.resolve("broker")));
             PipelineKit kit = new PipelineKit(dir.resolve("pipeline"), broker)) {
            OemNode w1 = kit.startOem("w1");
            OemNode w2 = kit.startOem("w2");
            kit.oems.remove(w2);
            w2.close();
            List<String> ids = FaultKit.vehicles(8);
            ids.forEach(kit::startVehicle);

            Release v1 = w1.releases().publish(PackageFile.toBytes(kit.fx.countersigned(kit.healthy("1.0.0", 1,
                    "healthy_v1.wasm"))));
            Campaign first = kit.campaign(v1, ids, "100%");
            PipelineKit.await("every vehicle to commit 1.0.0", WAIT, () -> kit.running(ids, "1.0.0") == ids.size());
            Thread.sleep(2000);
            long recorded = committed(w1, first);
            assertTrue(recorded < ids.size(), "the stopped worker's sessions took a share of the reports: " + recorded
                    + " of " + ids.size() + " recorded");

            OemNode retiring = kit.startOem("w2");
            OemNode.Retirement r = retiring.retire(Duration.ofSeconds(2), WAIT, line -> { });
            assertTrue(r.handled() >= ids.size() - recorded, "the queued reports were handled: " + r.handled());
            PipelineKit.await("the first campaign to complete", WAIT,
                    () -> w1.campaigns().get(first.id()).state() == Campaign.State.COMPLETED);
            kit.oems.remove(retiring);
            retiring.close();
            List<AuditRecord> retired = kit.trail().records(AuditEvent.OEM_WORKER_RETIRED);
            assertEquals(1, retired.size());
            assertEquals("oem-serve:w2", retired.get(0).actor());
            assertTrue(kit.trail().verify().ok());
            assertTrue(new dev.wasmota.oem.campaign.WorkerLeases(kit.database(), PipelineKit.CLOCK).list().stream()
                    .noneMatch(w -> w.name().equals("w2")), "its lease given up");

            Release v2 = w1.releases().publish(PackageFile.toBytes(kit.fx.countersigned(kit.healthy("2.0.0", 2,
                    "healthy_v2.wasm"))));
            Campaign second = kit.campaign(v2, ids, "100%");
            PipelineKit.await("the second campaign to complete with w1 alone taking every report", WAIT,
                    () -> w1.campaigns().get(second.id()).state() == Campaign.State.COMPLETED);
            assertEquals(ids.size(), committed(w1, second));
        }
    }

    private static long committed(OemNode oem, Campaign c) {
        return oem.campaigns().actions(c.id()).stream().filter(a -> a.status() == Action.Status.COMMITTED).count();
    }
}

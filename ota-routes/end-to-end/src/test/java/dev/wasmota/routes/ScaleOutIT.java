package dev.wasmota.routes;

import static dev.wasmota.routes.PipelineKit.assertAccepted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerKind;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.release.Release;
import dev.wasmota.routes.oem.OemNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two OEM workers, each on its own OEM directory (a copy of the keys), on one database split the
 * intake and status load through MQTT 5 shared subscriptions, and nothing is counted twice. On Mosquitto: HiveMQ CE does not
 * spread QoS 1 shared subscriptions (NOTES.md), so this scaling is what an external broker gives.
 */
class ScaleOutIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void twoOemWorkersSplitIntakeAndStatusWithoutCountingTwice() throws Exception {
        try (Broker broker = BrokerKind.MOSQUITTO.start(BrokerSettings.builder(Files.createTempDirectory("mosquitto"))
                .port(0).maxMessageBytes(10 * 1024 * 1024).build());
             PipelineKit kit = new PipelineKit(dir, broker)) {
            OemNode w1 = kit.startOem("w1");
            OemNode w2 = kit.startOem("w2");

            assertAccepted(kit.submit(kit.healthy("1.0.0", 1, "healthy_v1.wasm")));
            assertAccepted(kit.submit(kit.healthy("2.0.0", 2, "healthy_v2.wasm")));
            assertEquals(1, count(w1, AuditEvent.INTAKE_ACCEPTED), "worker 1 integrated one submission");
            assertEquals(1, count(w2, AuditEvent.INTAKE_ACCEPTED), "worker 2 integrated the other");

            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                ids.add("veh-" + i);
                kit.startVehicle("veh-" + i);
            }
            Release v1 = w1.releases().find("healthy", "1.0.0").orElseThrow();
            Campaign c = kit.campaign(v1, ids, "2,8");
            PipelineKit.await("campaign to complete", WAIT, () -> w1.campaigns().get(c.id()).state() == Campaign.State.COMPLETED);

            // the campaign can complete a moment before the worker that took the last report has audited it
            PipelineKit.await("all 8 reports audited", WAIT, () -> count(w1, AuditEvent.CAMPAIGN_STATUS_RECEIVED)
                    + count(w2, AuditEvent.CAMPAIGN_STATUS_RECEIVED) >= 8);
            Thread.sleep(300);
            long byW1 = count(w1, AuditEvent.CAMPAIGN_STATUS_RECEIVED);
            long byW2 = count(w2, AuditEvent.CAMPAIGN_STATUS_RECEIVED);
            assertEquals(8, byW1 + byW2, "every status counted exactly once");
            assertTrue(byW1 > 0 && byW2 > 0, "both workers took status reports: " + byW1 + " and " + byW2);
            w2.campaigns().actions(c.id()).forEach(a -> assertEquals(Action.Status.COMMITTED, a.status(), a.vehicleId()));
            for (String id : ids) {
                assertEquals(1, kit.sentInstructions(id).size(), id + " was sent its instruction once");
                assertEquals(1, AuditLog.read(kit.hosts.get(id).auditFile()).stream()
                        .filter(r -> r.event() == AuditEvent.INSTALL_COMMITTED).count(), id + " installed once");
            }
        }
    }

    /** The records of {@code event} that worker {@code node} wrote to the OEM's one trail. */
    private static long count(OemNode node, AuditEvent event) {
        return node.auditTrail().records(event).stream().filter(r -> ("oem-serve:" + node.worker()).equals(r.actor())).count();
    }
}

package dev.wasmota.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerKind;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.MosquittoBroker;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.audit.AuditEvent;
import dev.wasmota.ecu.audit.AuditLog;
import dev.wasmota.ecu.audit.AuditRecord;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.release.Release;
import dev.wasmota.routes.vehicle.VehicleNode;
import dev.wasmota.signing.pkg.PackageFile;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The broker stopped and started again (same port, same data directory, as an operator's restart)
 * while a campaign's waves are in flight: every party reconnects by itself, the persistent
 * sessions bring back what was queued, the campaign completes, nothing is installed twice and no
 * status is counted twice. On Mosquitto, the external broker a fleet runs on; the embedded HiveMQ
 * CE restarted in the same process lost one of six status reports in the one run tried (see
 * docs/SECURITY.md).
 */
class BrokerRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int VEHICLES = 6;
    private static final Duration LINK_DELAY = Duration.ofMillis(800);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Disabled("open (issue 7): in about half the runs the OEM's status client never reconnects (Paho's sender wedges "
            + "in CommsSender.start and sends no CONNECT), so the reports sent after the restart have no subscriber; "
            + "see docs/SECURITY.md")
    @ParameterizedTest
    @EnumSource(value = BrokerKind.class, names = "MOSQUITTO")
    void campaignCompletesAcrossABrokerRestartWithNothingInstalledTwice(BrokerKind kind) throws Exception {
        Path data = dir.resolve("broker");
        Broker broker = kind.start(settings(data, 0));
        PipelineKit kit = new PipelineKit(dir.resolve("pipeline"), broker);
        try {
            List<String> ids = IntStream.rangeClosed(1, VEHICLES).mapToObj(i -> "veh-" + i).toList();
            kit.startOem("w1");
            for (String id : ids) {
                kit.startVehicle(id, new VehicleNode.Options(Optional.empty(), LINK_DELAY));
            }
            Release v1 = kit.oem().releases().publish(PackageFile.toBytes(kit.fx.countersigned(kit.healthy("1.0.0", 1,
                    "healthy_v1.wasm"))));
            Campaign c = kit.campaign(v1, ids, "1,2,100%");
            PipelineKit.await("the first vehicle to commit", WAIT, () -> kit.running(ids, "1.0.0") >= 1);

            broker = restart(kind, broker, data);
            int atRestart = kit.running(ids, "1.0.0");
            assertTrue(atRestart < VEHICLES, "the restart must land mid-campaign; " + atRestart + " had committed");

            PipelineKit.await("the campaign to complete after the restart", WAIT,
                    () -> kit.oem().campaigns().get(c.id()).state() == Campaign.State.COMPLETED);
            PipelineKit.await("every vehicle's report at the OEM", WAIT, () -> kit.oem().campaigns().actions(c.id()).stream()
                    .allMatch(a -> a.status() == Action.Status.COMMITTED));
            Thread.sleep(500);
            List<AuditRecord> oemLog = AuditLog.read(kit.oem().auditLog().file());
            for (String id : ids) {
                EcuHost host = kit.hosts.get(id);
                assertEquals("1.0.0", host.modules().get(0).activeMetadata().version(), id + " runs the release");
                assertEquals(1, AuditLog.read(host.auditFile()).stream().filter(r -> r.event() == AuditEvent.INSTALL_COMMITTED)
                        .count(), id + " installed exactly once");
                assertTrue(AuditLog.verify(host.auditFile()).ok(), id + "'s audit log verifies");
                assertEquals(1, oemLog.stream().filter(r -> r.event() == AuditEvent.CAMPAIGN_STATUS_RECEIVED
                        && r.detail() != null && r.detail().startsWith("vehicle " + id + " ")).count(),
                        id + "'s report is counted once");
                Action a = kit.oem().campaigns().actions(c.id()).stream().filter(x -> x.vehicleId().equals(id)).findFirst()
                        .orElseThrow();
                assertEquals(Action.Status.COMMITTED, a.status());
            }
            assertTrue(AuditLog.verify(kit.oem().auditLog().file()).ok());
        } finally {
            kit.close();
            broker.close();
        }
    }

    private static BrokerSettings settings(Path data, int port) {
        return BrokerSettings.builder(data).port(port).maxMessageBytes(10 * 1024 * 1024).build();
    }

    /** Stops the broker and starts it again on its port, from its data directory (sessions and queued messages kept). */
    private static Broker restart(BrokerKind kind, Broker broker, Path data) {
        if (broker instanceof MosquittoBroker m) {
            return m.restart();
        }
        int port = URI.create(broker.url()).getPort();
        broker.close();
        return kind.start(settings(data, port));
    }

}

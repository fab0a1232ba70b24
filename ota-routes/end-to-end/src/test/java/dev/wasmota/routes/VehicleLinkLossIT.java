package dev.wasmota.routes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.MosquittoBroker;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.release.Release;
import dev.wasmota.routes.vehicle.VehicleNode;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.transport.ServiceEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vehicle that loses its link while it has something to report: the publish is refused ("not
 * connected"), retried and dead-lettered in vain, and nothing at the OEM would ask for it. Once
 * the link is back the vehicle sends it by itself.
 */
class VehicleLinkLossIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * The report here is the committed module's health, re-reported once the module has run 100
     * calls: the campaign is complete, so the OEM never asks for it, and the module is stopped once
     * the report was refused, so no later health report (due at 200 calls) makes up for it.
     */
    @Test
    void aReportRefusedWhileTheLinkIsDownGoesOnceItIsBack() throws Exception {
        MosquittoBroker broker = MosquittoBroker.start(BrokerSettings.builder(dir.resolve("broker")).port(0)
                .maxMessageBytes(10 * 1024 * 1024).build());
        try (PipelineKit kit = new PipelineKit(dir.resolve("pipeline"), broker);
             CuttableLink link = new CuttableLink(broker.url())) {
            String id = "veh-01";
            kit.vehicleLink = s -> s.withBrokerUrl(link.url());
            List<ServiceEvent> events = Collections.synchronizedList(new ArrayList<>());
            kit.startOem("w1");
            kit.startVehicle(id, new VehicleNode.Options(Optional.empty(), Duration.ZERO, events::add));
            Release release = kit.oem().releases().publish(PackageFile.toBytes(kit.fx.countersigned(kit.healthy(
                    FaultKit.VERSION, 1, "healthy_v1.wasm"))));
            Campaign c = kit.campaign(release, List.of(id), "1");
            PipelineKit.await("the campaign to complete", WAIT,
                    () -> kit.oem().campaigns().get(c.id()).state() == Campaign.State.COMPLETED);
            assertTrue(healthCallsAtOem(kit, c, id) < 100, "the commit's health comes from the install's health check");

            link.cut();
            EcuHost host = kit.hosts.get(id);
            host.start();
            PipelineKit.await("100 calls and the health report refused while the link is down", WAIT,
                    () -> events.stream().anyMatch(e -> e.kind() == ServiceEvent.Kind.DEAD_LETTER));
            host.stop();
            assertTrue(events.stream().noneMatch(e -> e.text().contains("never acknowledged")), "nothing sent again yet");
            link.restore();

            PipelineKit.await("the OEM to have the health reported while the link was down", WAIT,
                    () -> healthCallsAtOem(kit, c, id) >= 100);
            assertTrue(events.stream().anyMatch(e -> e.text().contains("1 instruction(s) whose report the broker never acknowledged")),
                    "sent again by the vehicle once reconnected: " + events);
        } finally {
            broker.close();
        }
    }

    /** The calls in the health the OEM keeps for {@code vehicle} in campaign {@code c}; 0 if none. */
    private static long healthCallsAtOem(PipelineKit kit, Campaign c, String vehicle) {
        return kit.database().transaction(conn -> {
            try (var p = conn.prepareStatement("SELECT health_json FROM vehicle_health WHERE campaign_id = ? AND vehicle_id = ?")) {
                p.setString(1, c.id());
                p.setString(2, vehicle);
                try (var rs = p.executeQuery()) {
                    return rs.next() ? JSON.readTree(rs.getString(1)).path("calls").asLong() : 0L;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}

package dev.wasmota.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.BrokerKind;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.HealthGate;
import dev.wasmota.oem.campaign.RolloutOptions;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.release.Release;
import dev.wasmota.signing.pkg.PackageFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health gate over the real pipeline: vehicles commit, run the release, and send their
 * committed answers again with the sandbox's signed figures; a p99 call time over the gate's
 * baseline plus margin stops the campaign during its wave's hold, naming the metric and vehicles.
 */
class HealthGateIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Brokers BROKERS = new Brokers();

    @TempDir
    Path dir;

    @AfterAll
    static void stopBrokers() {
        BROKERS.close();
    }

    @Test
    void aCallTimeRegressionReportedByTheVehiclesStopsTheCampaign() throws Exception {
        try (PipelineKit kit = new PipelineKit(dir, BROKERS.get(BrokerKind.EMBEDDED))) {
            kit.startOem("w1");
            List<String> ids = List.of("veh-1", "veh-2");
            for (String id : ids) {
                kit.startVehicle(id);
                EcuHost host = kit.hosts.get(id);
                host.config().environment().can().set(0x120, 42);
                host.start();
            }
            Release v1 = kit.oem().releases().publish(PackageFile.toBytes(kit.fx.countersigned(kit.healthy("1.0.0", 1,
                    "healthy_v1.wasm"))));
            // a baseline no real tick meets (1 µs, 100 %): any p99 the vehicles measure is a regression
            HealthGate gate = new HealthGate(1, 100, 0, 0);
            Campaign c = kit.oem().campaigns().create(CampaignSpec.builder(v1.id(), Targets.vehicles(ids),
                    WavePlan.parse("2")).hold(Duration.ofHours(1)).build(), RolloutOptions.NONE.withHealth(gate));
            kit.oem().campaigns().start(c.id());

            PipelineKit.await("the health gate to stop the campaign", WAIT,
                    () -> kit.oem().campaigns().get(c.id()).state() == Campaign.State.STOPPED);

            String cause = kit.oem().campaigns().get(c.id()).cause().orElseThrow();
            assertTrue(cause.contains("runtime health regressed") && cause.contains("p99 call time on"), cause);
            assertTrue(cause.contains("veh-1") || cause.contains("veh-2"), cause);
            for (String id : ids) {
                assertEquals("1.0.0", kit.hosts.get(id).modules().get(0).activeMetadata().version());
            }
        }
    }
}

package dev.wasmota.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerKind;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.ShadowReport;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.RolloutOptions;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.release.Release;
import dev.wasmota.signing.instruction.ShadowDelivery;
import dev.wasmota.signing.pkg.PackageFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign that delivers its release as a shadow, over the real broker: each vehicle runs it
 * beside the active version on the same CAN inputs and answers when its rule decides: a release
 * that disagrees is discarded (FAILED, {@code SHADOW_DISCARDED} with the first disagreements), the
 * active version never stopped and nothing of the shadow's on the vehicle's bus; one that agrees is
 * promoted through the install path (COMMITTED).
 */
class ShadowCampaignIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Brokers BROKERS = new Brokers();
    private static final ShadowDelivery STRICT = new ShadowDelivery(30, 0, 0, List.of());

    @TempDir
    Path dir;

    @AfterAll
    static void stopBrokers() {
        BROKERS.close();
    }

    @Test
    void aDisagreeingShadowIsDiscardedAndAnAgreeingOneIsPromoted() throws Exception {
        Broker broker = BROKERS.get(BrokerKind.EMBEDDED);
        try (PipelineKit kit = new PipelineKit(dir, broker)) {
            kit.startOem("w1");
            List<String> ids = List.of("veh-1", "veh-2");
            ids.forEach(kit::startVehicle);
            Release v1 = publish(kit, "1.0.0", 1, "healthy_v1.wasm");
            Campaign first = kit.campaign(v1, ids, "2");
            PipelineKit.await("v1 everywhere", WAIT, () -> kit.oem().campaigns().get(first.id()).state()
                    == Campaign.State.COMPLETED);
            for (String id : ids) {
                EcuHost host = kit.hosts.get(id);
                host.config().environment().can().set(0x120, 42);
                host.start();
                assertTrue(host.awaitStarted(WAIT));
            }

            Release v2 = publish(kit, "2.0.0", 2, "healthy_v2.wasm");
            Campaign disagreeing = shadowCampaign(kit, v2, ids);
            PipelineKit.await("the v2 shadows' answers", WAIT, () -> answered(kit, disagreeing) == ids.size());

            for (Action a : kit.oem().campaigns().actions(disagreeing.id())) {
                assertEquals(Action.Status.FAILED, a.status(), a.vehicleId());
                assertTrue(a.detail().orElse("").contains("shadow discarded, 1.0.0 kept")
                        && a.detail().orElse("").contains("can:0x220: active 84, shadow 127"), a.detail().toString());
            }
            assertEquals(Campaign.State.STOPPED, kit.oem().campaigns().get(disagreeing.id()).state());
            for (String id : ids) {
                EcuHost host = kit.hosts.get(id);
                assertEquals("1.0.0", host.modules().get(0).activeMetadata().version(), id);
                assertEquals(ShadowReport.State.DISCARDED, host.shadow("healthy").orElseThrow().state());
                assertTrue(host.config().environment().can().writes().stream().noneMatch(f -> f.value() == 127),
                        "the shadow's writes never reached " + id + "'s bus");
            }

            Release v11 = publish(kit, "1.1.0", 2, "healthy_v1.wasm");
            Campaign agreeing = shadowCampaign(kit, v11, ids);
            PipelineKit.await("the v1.1 shadows' promotion", WAIT, () -> kit.oem().campaigns().get(agreeing.id()).state()
                    == Campaign.State.COMPLETED);
            for (String id : ids) {
                assertEquals("1.1.0", kit.hosts.get(id).modules().get(0).activeMetadata().version(), id);
                assertEquals(ShadowReport.State.PROMOTED, kit.hosts.get(id).shadow("healthy").orElseThrow().state());
            }
        }
    }

    private static Release publish(PipelineKit kit, String version, long securityVersion, String wasm) {
        return kit.oem().releases().publish(PackageFile.toBytes(kit.fx.countersigned(kit.healthy(version, securityVersion,
                wasm))));
    }

    private static Campaign shadowCampaign(PipelineKit kit, Release release, List<String> ids) {
        Campaign c = kit.oem().campaigns().create(CampaignSpec.builder(release.id(), Targets.vehicles(ids),
                WavePlan.parse(Integer.toString(ids.size()))).build(), RolloutOptions.shadow(STRICT));
        return kit.oem().campaigns().start(c.id());
    }

    private static long answered(PipelineKit kit, Campaign c) {
        return kit.oem().campaigns().actions(c.id()).stream().filter(a -> a.status() == Action.Status.FAILED
                || a.status() == Action.Status.COMMITTED).count();
    }
}

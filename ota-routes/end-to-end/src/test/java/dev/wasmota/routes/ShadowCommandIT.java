package dev.wasmota.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerKind;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.ShadowReport;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.OutboxQueue;
import dev.wasmota.oem.campaign.RolloutOptions;
import dev.wasmota.oem.campaign.ShadowDecision;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.release.Release;
import dev.wasmota.protocol.wire.Frames;
import dev.wasmota.protocol.wire.ShadowCommandMessage;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.signing.instruction.ShadowCommand;
import dev.wasmota.signing.instruction.ShadowDelivery;
import dev.wasmota.signing.instruction.SignedShadowCommand;
import dev.wasmota.signing.pkg.PackageFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator concludes a campaign's shadow runs by campaign action, over the real broker: each
 * shadowing vehicle gets a command signed with the campaign key, one offline at the time when it
 * comes back; a discard leaves the active version running, the shadow's writes never actuated and
 * the operator's reason reported; a promotion commits the shadow through the vehicle's install path.
 * A forged or replayed command is refused and dead-lettered. A shadow the vehicle's restart ended is
 * answered as discarded, the restart named.
 */
class ShadowCommandIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Brokers BROKERS = new Brokers();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Never decided by its own rule within the test: only the operator concludes it. */
    private static final ShadowDelivery LONG = new ShadowDelivery(10_000_000, 1_000_000, 10_000_000, List.of());
    private static final List<String> IDS = List.of("veh-1", "veh-2");

    @TempDir
    Path dir;

    @AfterAll
    static void stopBrokers() {
        BROKERS.close();
    }

    @Test
    void anOperatorDiscardsThenPromotesShadowsByCampaignAction() throws Exception {
        Broker broker = BROKERS.get(BrokerKind.EMBEDDED);
        try (PipelineKit kit = new PipelineKit(dir, broker)) {
            kit.startOem("w1");
            IDS.forEach(kit::startVehicle);
            Campaign first = kit.campaign(publish(kit, "1.0.0", 1, "healthy_v1.wasm"), IDS, "2");
            PipelineKit.await("v1 everywhere", WAIT, () -> kit.oem().campaigns().get(first.id()).state()
                    == Campaign.State.COMPLETED);
            for (String id : IDS) {
                EcuHost host = kit.hosts.get(id);
                host.config().environment().can().set(0x120, 42);
                host.start();
                assertTrue(host.awaitStarted(WAIT));
            }

            Campaign discarded = shadowCampaign(kit, publish(kit, "2.0.0", 2, "healthy_v2.wasm"));
            awaitShadows(kit, "2.0.0");
            kit.stopVehicle("veh-2");
            ShadowDecision d = kit.oem().campaigns().decideShadows(discarded.id(), ShadowCommand.Action.DISCARD,
                    "writes 127 on 0x220 at highway speed");
            assertEquals(2, d.commands());
            PipelineKit.await("veh-1's answer", WAIT, () -> status(kit, discarded, "veh-1") == Action.Status.FAILED);
            assertEquals(ShadowReport.State.RUNNING, kit.hosts.get("veh-2").shadow("healthy").orElseThrow().state(),
                    "offline: not yet");
            kit.startVehicle("veh-2");
            PipelineKit.await("veh-2's answer once back", WAIT, () -> status(kit, discarded, "veh-2")
                    == Action.Status.FAILED);

            assertEquals(Campaign.State.ABORTED, kit.oem().campaigns().get(discarded.id()).state());
            assertEquals(2, kit.oem().campaigns().shadowDecision(discarded.id()).orElseThrow().answered());
            for (Action a : kit.oem().campaigns().actions(discarded.id())) {
                String detail = a.detail().orElse("");
                assertTrue(detail.contains("shadow discarded, 1.0.0 kept") && detail.contains("discarded by the operator")
                        && detail.contains("writes 127 on 0x220 at highway speed"), detail);
            }
            for (String id : IDS) {
                EcuHost host = kit.hosts.get(id);
                assertEquals("1.0.0", host.modules().get(0).activeMetadata().version(), id);
                assertEquals(ShadowReport.State.DISCARDED, host.shadow("healthy").orElseThrow().state());
                assertTrue(host.config().environment().can().writes().stream().noneMatch(f -> f.value() == 127),
                        "the shadow's writes never reached " + id + "'s bus");
            }
            assertTrue(kit.trail().records().stream().anyMatch(r -> r.event() == AuditEvent.CAMPAIGN_SHADOW_DECIDED
                    && "DISCARD".equals(r.cause())), "the OEM audited the operator's action");

            byte[] sent = sentCommand(kit, "veh-1");
            ShadowCommand opened = SignedShadowCommand.open(sent, kit.fx.oem.trustStore(), PipelineKit.CLOCK);
            assertEquals("STALE_COMMAND", refusal(kit, new ShadowCommandMessage(sent).encode(), opened.instructionId()),
                    "a replayed command finds no shadow to act on");
            byte[] forged = SignedShadowCommand.sign(opened, kit.pki.release().key(), kit.pki.release().cert(),
                    kit.fx.clock);
            assertEquals("UNTRUSTED_SIGNER", refusal(kit, new ShadowCommandMessage(forged).encode(), opened.instructionId()));
            assertTrue(dev.wasmota.audit.AuditLog.read(kit.hosts.get("veh-1").auditFile()).stream().anyMatch(r -> r.event()
                    == AuditEvent.SHADOW_COMMAND_REFUSED && "UNTRUSTED_SIGNER".equals(r.cause())));

            Campaign promoted = shadowCampaign(kit, publish(kit, "1.1.0", 2, "healthy_v1.wasm"));
            awaitShadows(kit, "1.1.0");
            kit.oem().campaigns().decideShadows(promoted.id(), ShadowCommand.Action.PROMOTE, "");
            PipelineKit.await("the promotions", WAIT, () -> kit.oem().campaigns().get(promoted.id()).state()
                    == Campaign.State.COMPLETED);
            for (String id : IDS) {
                EcuHost host = kit.hosts.get(id);
                assertEquals("1.1.0", host.modules().get(0).activeMetadata().version(), id);
                assertEquals(ShadowReport.State.PROMOTED, host.shadow("healthy").orElseThrow().state());
                assertTrue(dev.wasmota.audit.AuditLog.read(host.auditFile()).stream().anyMatch(r -> r.event() == AuditEvent.INSTALL_COMMITTED
                        && "1.1.0".equals(r.toVersion()) && r.actor().startsWith("operator:")),
                        "committed through the install path on the operator's command");
            }

            Campaign cut = shadowCampaign(kit, publish(kit, "1.2.0", 3, "healthy_v1.wasm"));
            awaitShadows(kit, "1.2.0");
            kit.stopVehicle("veh-1");
            kit.hosts.remove("veh-1").close();
            kit.startVehicle("veh-1");
            PipelineKit.await("veh-1's answer after its restart", WAIT, () -> status(kit, cut, "veh-1")
                    == Action.Status.FAILED);
            String detail = kit.oem().campaigns().actions(cut.id()).stream().filter(a -> a.vehicleId().equals("veh-1"))
                    .findFirst().orElseThrow().detail().orElse("");
            assertTrue(detail.contains("shadow discarded, 1.1.0 kept") && detail.contains("the vehicle restarted"), detail);
            assertEquals("1.1.0", kit.hosts.get("veh-1").modules().get(0).activeMetadata().version());
        }
    }

    private static Release publish(PipelineKit kit, String version, long securityVersion, String wasm) {
        return kit.oem().releases().publish(PackageFile.toBytes(kit.fx.countersigned(kit.healthy(version, securityVersion,
                wasm))));
    }

    private static Campaign shadowCampaign(PipelineKit kit, Release release) {
        Campaign c = kit.oem().campaigns().create(CampaignSpec.builder(release.id(), Targets.vehicles(IDS),
                WavePlan.parse(Integer.toString(IDS.size()))).build(), RolloutOptions.shadow(LONG));
        return kit.oem().campaigns().start(c.id());
    }

    private static void awaitShadows(PipelineKit kit, String version) throws InterruptedException {
        PipelineKit.await(version + " shadowing on every vehicle", WAIT, () -> IDS.stream().allMatch(id -> kit.hosts.get(id)
                .shadow("healthy").filter(s -> s.shadowVersion().equals(version) && s.state() == ShadowReport.State.RUNNING
                        && s.compared() >= 5).isPresent()));
    }

    private static Action.Status status(PipelineKit kit, Campaign c, String vehicle) {
        return kit.oem().campaigns().actions(c.id()).stream().filter(a -> a.vehicleId().equals(vehicle)).findFirst()
                .orElseThrow().status();
    }

    private static byte[] sentCommand(PipelineKit kit, String vehicle) {
        OutboxQueue.Entry e = kit.outbox().of(vehicle).stream().filter(x -> x.kind() == OutboxQueue.Kind.SHADOW_COMMAND
                && x.state() == OutboxQueue.State.SENT).findFirst().orElseThrow();
        return kit.outbox().payload(e.id()).orElseThrow();
    }

    /**
     * Publishes {@code payload} to veh-1's update topic and returns the reason of the dead letter it
     * gets; no status report answers it. veh-1 may report other instructions meanwhile (its committed
     * module's health is re-reported every few hundred calls): those are passed over, a report on
     * {@code instructionId} fails the test.
     */
    private static String refusal(PipelineKit kit, byte[] payload, String instructionId) throws Exception {
        try (Probe probe = new Probe(kit.mqtt, kit.topics.status("veh-1"), kit.topics.vehicleDeadLetter("veh-1"))) {
            probe.publish(kit.topics.update("veh-1"), payload);
            while (true) {
                Probe.Message m = probe.nextAny(WAIT);
                if (m.topic().equals(kit.topics.vehicleDeadLetter("veh-1"))) {
                    JsonNode letter = JSON.readTree(Frames.decode(m.payload(), "WOTD", 2, 64 * 1024, 64 * 1024).get(0));
                    return letter.path("reason").asText();
                }
                StatusReport report = SignedStatus.open(m.payload(), kit.fx.oem.trustStore(), PipelineKit.CLOCK.instant());
                assertNotEquals(instructionId, report.instructionId(), "no status report answers it: " + report);
            }
        }
    }
}

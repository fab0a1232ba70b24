package dev.wasmota.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerKind;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.release.Release;
import dev.wasmota.routes.supplier.SubmitResult;
import dev.wasmota.protocol.wire.Frames;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.protocol.wire.UpdateMessage;
import dev.wasmota.contract.Digests;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pipeline end to end over a real broker, embedded HiveMQ CE and Mosquitto: supplier submits,
 * the OEM integrates and countersigns, a campaign reaches the vehicles, and the edge cases the
 * routes exist for (offline vehicle, duplicate delivery, tampering, garbage).
 */
class PipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Brokers BROKERS = new Brokers();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Broker broker(BrokerKind kind) throws IOException {
        return BROKERS.get(kind);
    }

    @AfterAll
    static void stopBrokers() {
        BROKERS.close();
    }

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void supplierSubmissionReachesThreeVehiclesThatAllCommit(BrokerKind kind) throws Exception {
        try (PipelineKit kit = new PipelineKit(dir, broker(kind))) {
            kit.startOem("w1");
            List<String> ids = List.of("veh-1", "veh-2", "veh-3");
            ids.forEach(kit::startVehicle);

            SubmitResult result = kit.submit(kit.healthy("1.0.0", 1, "healthy_v1.wasm"));
            assertTrue(result.accepted(), () -> "intake refused: " + result.json());
            assertEquals("healthy@1.0.0", result.release().orElseThrow());
            Release release = kit.oem().releases().find("healthy", "1.0.0").orElseThrow();
            assertEquals(result.releaseSha256().orElseThrow(), release.packageSha256());

            Campaign c = kit.campaign(release, ids, "1,3");
            PipelineKit.await("campaign " + c.id() + " to complete", WAIT,
                    () -> kit.oem().campaigns().get(c.id()).state() == Campaign.State.COMPLETED);

            List<Action> actions = kit.oem().campaigns().actions(c.id());
            assertEquals(3, actions.size());
            actions.forEach(a -> assertEquals(Action.Status.COMMITTED, a.status(), a.vehicleId()));
            for (String id : ids) {
                ModuleState s = active(kit.hosts.get(id));
                assertEquals("1.0.0", s.activeMetadata().version());
                assertEquals(release.packageSha256(), s.activeMetadata().packageSha256());
            }
            // the campaign completes as the last report's transaction commits; its audit record follows
            PipelineKit.await("the 3 reports' audit records", WAIT, () -> statusRecords(kit) >= 3);
            List<AuditRecord> oemLog = kit.trail().records();
            assertEquals(3, oemLog.stream().filter(r -> r.event() == AuditEvent.CAMPAIGN_STATUS_RECEIVED).count());
            assertTrue(oemLog.stream().anyMatch(r -> r.event() == AuditEvent.CAMPAIGN_STATUS_RECEIVED
                    && r.detail().contains("audit head")), "the vehicles' signed audit heads are kept");
            for (String id : ids) {
                var anchors = dev.wasmota.oem.audit.VehicleLogCheck.anchors(kit.trail(), id);
                assertEquals(1, anchors.size(), id);
                var checked = dev.wasmota.oem.audit.VehicleLogCheck.check(id, anchors, kit.hosts.get(id).auditFile());
                assertTrue(checked.latest().head().seq() > 0, "the head of " + id + "'s log is kept and found in it");
            }
            assertTrue(kit.trail().verify().ok());
        }
    }

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void vehicleOfflineDuringDispatchGetsItsUpdateAfterReconnecting(BrokerKind kind) throws Exception {
        try (PipelineKit kit = new PipelineKit(dir, broker(kind))) {
            kit.startOem("w1");
            kit.startVehicle("veh-1");
            kit.startVehicle("veh-2");
            kit.stopVehicle("veh-2");
            Release release = publishV1(kit);

            Campaign c = kit.campaign(release, List.of("veh-1", "veh-2"), "2");
            PipelineKit.await("veh-2's instruction to reach the broker", WAIT, () -> kit.sentInstructions("veh-2").size() == 1);
            PipelineKit.await("veh-1 to commit", WAIT, () -> status(kit, c, "veh-1") == Action.Status.COMMITTED);
            assertEquals(Action.Status.INSTRUCTED, status(kit, c, "veh-2"));
            assertTrue(kit.hosts.get("veh-2").modules().isEmpty(), "nothing installed while offline");

            kit.startVehicle("veh-2");
            PipelineKit.await("campaign to complete after veh-2 reconnected", WAIT,
                    () -> kit.oem().campaigns().get(c.id()).state() == Campaign.State.COMPLETED);
            assertEquals("1.0.0", active(kit.hosts.get("veh-2")).activeMetadata().version());
        }
    }

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void duplicateDeliveryDoesNotInstallTwiceOrCountTwice(BrokerKind kind) throws Exception {
        try (PipelineKit kit = new PipelineKit(dir, broker(kind))) {
            kit.startOem("w1");
            kit.startVehicle("veh-1");
            Release release = publishV1(kit);
            Campaign c = kit.campaign(release, List.of("veh-1"), "1");
            PipelineKit.await("campaign to complete", WAIT,
                    () -> kit.oem().campaigns().get(c.id()).state() == Campaign.State.COMPLETED);

            try (Probe probe = new Probe(kit.mqtt, kit.topics.status("veh-1"))) {
                probe.publish(kit.topics.update("veh-1"), sentUpdate(kit, "veh-1", release));
                StatusReport again = SignedStatus.open(probe.next(kit.topics.status("veh-1"), WAIT).payload(),
                        kit.fx.oem.trustStore(), PipelineKit.CLOCK.instant());
                assertEquals(StatusReport.Result.COMMITTED, again.result());
                assertTrue(again.detail().contains("already active"), again.detail());
            }
            List<AuditRecord> vehicleLog = AuditLog.read(kit.hosts.get("veh-1").auditFile());
            assertEquals(1, vehicleLog.stream().filter(r -> r.event() == AuditEvent.INSTALL_COMMITTED).count());
            PipelineKit.await("the OEM to take the repeated report", WAIT, () -> statusRecords(kit) >= 1);
            Thread.sleep(300);
            assertEquals(1, statusRecords(kit), "a repeated report is not counted again");
            assertEquals(Action.Status.COMMITTED, status(kit, c, "veh-1"));
        }
    }

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void tamperedPackageInFlightIsDeadLetteredAndNeverReachesASlot(BrokerKind kind) throws Exception {
        try (PipelineKit kit = new PipelineKit(dir, broker(kind))) {
            kit.startOem("w1");
            kit.startVehicle("veh-1");
            Release v1 = publishV1(kit);
            Campaign c = kit.campaign(v1, List.of("veh-1"), "1");
            PipelineKit.await("campaign to complete", WAIT,
                    () -> kit.oem().campaigns().get(c.id()).state() == Campaign.State.COMPLETED);
            ModuleState before = active(kit.hosts.get("veh-1"));

            UpdateMessage genuine = UpdateMessage.decode(sentUpdate(kit, "veh-1", v1));
            byte[] pkg = genuine.packageFile();
            byte[] wasm = Fixtures.wasm("healthy_v1.wasm");
            int at = Fixtures.indexOf(pkg, wasm) + wasm.length / 2;
            pkg[at] ^= 0x01;
            try (Probe probe = new Probe(kit.mqtt, kit.topics.vehicleDeadLetter("veh-1"))) {
                probe.publish(kit.topics.update("veh-1"), new UpdateMessage(genuine.instruction(), pkg).encode());
                JsonNode letter = deadLetter(probe.next(kit.topics.vehicleDeadLetter("veh-1"), WAIT).payload());
                assertEquals("vehicle-update-veh-1", letter.path("route").asText());
                assertNotEquals("", letter.path("reason").asText());
                assertEquals(Digests.sha256Hex(new UpdateMessage(genuine.instruction(), pkg).encode()),
                        letter.path("payloadSha256").asText());
            }
            ModuleState after = active(kit.hosts.get("veh-1"));
            assertEquals(before, after, "the slots are untouched");
            List<AuditRecord> log = AuditLog.read(kit.hosts.get("veh-1").auditFile());
            assertTrue(log.stream().anyMatch(r -> r.event() == AuditEvent.MESSAGE_DEAD_LETTERED));
            assertEquals(1, log.stream().filter(r -> r.event() == AuditEvent.INSTALL_COMMITTED).count());
            assertTrue(AuditLog.verify(kit.hosts.get("veh-1").auditFile()).ok());
        }
    }

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void malformedMessagesGoToTheDeadLetterTopicsWithTheirReason(BrokerKind kind) throws Exception {
        try (PipelineKit kit = new PipelineKit(dir, broker(kind))) {
            kit.startOem("w1");
            kit.startVehicle("veh-1");
            try (Probe probe = new Probe(kit.mqtt, kit.topics.vehicleDeadLetter("veh-1"), kit.topics.oemDeadLetter())) {
                probe.publish(kit.topics.update("veh-1"), "not an update".getBytes());
                assertEquals("MALFORMED_MESSAGE",
                        deadLetter(probe.next(kit.topics.vehicleDeadLetter("veh-1"), WAIT).payload()).path("reason").asText());
                probe.publish(kit.topics.status("veh-1"), Frames.encode(SignedStatus.KIND, new byte[10], new byte[64],
                        new byte[100]));
                assertEquals("UNVERIFIED_STATUS",
                        deadLetter(probe.next(kit.topics.oemDeadLetter(), WAIT).payload()).path("reason").asText());
            }
            assertTrue(kit.hosts.get("veh-1").modules().isEmpty());
            try (Probe probe = new Probe(kit.mqtt, kit.topics.oemDeadLetter())) {
                String sha = "0".repeat(64);
                StatusReport forged = new StatusReport("veh-2", "c1", "i1", "0123456789abcdef", StatusReport.Result.COMMITTED,
                        "", "", "healthy", "1.0.0", sha, 1, sha, PipelineKit.CLOCK.instant());
                probe.publish(kit.topics.status("veh-1"), SignedStatus.sign(forged, kit.credential("veh-2")));
                assertEquals("WRONG_SENDER",
                        deadLetter(probe.next(kit.topics.oemDeadLetter(), WAIT).payload()).path("reason").asText());
            }
            assertTrue(kit.trail().records().stream()
                    .anyMatch(r -> r.event() == AuditEvent.MESSAGE_DEAD_LETTERED && "UNVERIFIED_STATUS".equals(r.cause())));
        }
    }

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void anOlderUpdateDeliveredLateCannotDowngrade(BrokerKind kind) throws Exception {
        try (PipelineKit kit = new PipelineKit(dir, broker(kind))) {
            kit.startOem("w1");
            kit.startVehicle("veh-1");
            Release v1 = publishV1(kit);
            Campaign c1 = kit.campaign(v1, List.of("veh-1"), "1");
            PipelineKit.await("v1 campaign", WAIT, () -> kit.oem().campaigns().get(c1.id()).state() == Campaign.State.COMPLETED);
            byte[] late = sentUpdate(kit, "veh-1", v1);
            Release v2 = kit.oem().releases().publish(PackageFile.toBytes(kit.fx.countersigned(kit.healthy("2.0.0", 2,
                    "healthy_v2.wasm"))));
            Campaign c2 = kit.campaign(v2, List.of("veh-1"), "1");
            PipelineKit.await("v2 campaign", WAIT, () -> kit.oem().campaigns().get(c2.id()).state() == Campaign.State.COMPLETED);

            try (Probe probe = new Probe(kit.mqtt, kit.topics.status("veh-1"))) {
                probe.publish(kit.topics.update("veh-1"), late);
                StatusReport answer = SignedStatus.open(probe.next(kit.topics.status("veh-1"), WAIT).payload(),
                        kit.fx.oem.trustStore(), PipelineKit.CLOCK.instant());
                assertEquals(StatusReport.Result.FAILED, answer.result());
                assertEquals("2.0.0", answer.activeVersion());
            }
            assertEquals("2.0.0", active(kit.hosts.get("veh-1")).activeMetadata().version());
            assertEquals(Action.Status.COMMITTED, status(kit, c1, "veh-1"), "the late refusal does not rewrite v1's answer");
        }
    }

    private static Release publishV1(PipelineKit kit) {
        return kit.oem().releases().publish(PackageFile.toBytes(kit.fx.countersigned(kit.healthy("1.0.0", 1,
                "healthy_v1.wasm"))));
    }

    /** The update message the OEM sent {@code vehicle} first, rebuilt from the sent message in its outbox. */
    private static byte[] sentUpdate(PipelineKit kit, String vehicle, Release release) {
        return new UpdateMessage(kit.sentInstructions(vehicle).get(0), kit.oem().releases().packageBytes(release)).encode();
    }

    private static JsonNode deadLetter(byte[] payload) throws IOException {
        List<byte[]> parts = Frames.decode(payload, "WOTD", 2, 64 * 1024, 64 * 1024);
        return JSON.readTree(parts.get(0));
    }

    private static long statusRecords(PipelineKit kit) {
        return kit.trail().records().stream()
                .filter(r -> r.event() == AuditEvent.CAMPAIGN_STATUS_RECEIVED).count();
    }

    private static Action.Status status(PipelineKit kit, Campaign c, String vehicle) {
        return kit.oem().campaigns().actions(c.id()).stream().filter(a -> a.vehicleId().equals(vehicle)).findFirst()
                .orElseThrow().status();
    }

    private static ModuleState active(EcuHost host) {
        List<ModuleState> m = host.modules();
        assertFalse(m.isEmpty(), "a module is installed");
        return m.get(0);
    }
}

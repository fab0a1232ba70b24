package dev.wasmota.routes;

import dev.wasmota.signing.pki.TrustHierarchy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.wasmota.protocol.wire.TrustUpdateMessage;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.signing.pki.Revocation;
import dev.wasmota.signing.pki.SignedTrustUpdate;
import dev.wasmota.signing.pki.TrustStore;
import dev.wasmota.signing.pki.TrustUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A compromised supplier key, end to end over a real broker (embedded HiveMQ CE and Mosquitto):
 * acme's v1 runs on the fleet; the OEM revokes acme's key with a trust update signed by its root;
 * the update reaches every vehicle through the outbox; from then on a new acme submission is
 * refused at intake, and an acme release countersigned before the revocation is refused by every
 * vehicle without touching a slot. Forged and replayed trust updates are dead-lettered and change
 * nothing.
 */
class RevocationIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Brokers BROKERS = new Brokers();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FLEET = List.of("veh-1", "veh-2");

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
    void revokedSupplierKeyIsRefusedAtIntakeAndByEveryVehicle(BrokerKind kind) throws Exception {
        try (PipelineKit kit = new PipelineKit(dir, broker(kind))) {
            kit.startOem("w1");
            FLEET.forEach(kit::startVehicle);
            SubmitResult v1 = kit.submit(kit.healthy("1.0.0", 1, "healthy_v1.wasm"));
            assertTrue(v1.accepted(), () -> "intake refused v1: " + v1.json());
            Campaign first = kit.campaign(kit.oem().releases().find("healthy", "1.0.0").orElseThrow(), FLEET, "2");
            PipelineKit.await("v1 on the fleet", WAIT, () -> state(kit, first) == Campaign.State.COMPLETED);
            Release countersignedBefore = kit.oem().releases().publish(PackageFile.toBytes(kit.fx.countersigned(
                    kit.healthy("1.1.0", 1, "healthy_v2.wasm"))));
            Map<String, ModuleState> slotsBefore = slots(kit);

            byte[] firstUpdate = revoke(kit, List.of(new Revocation(Revocation.keySha256(kit.fx.acme.chain().get(0)),
                    "acme signing key leaked")), List.of());
            awaitTrust(kit, 1);

            SubmitResult refused = kit.submit(kit.healthy("1.2.0", 1, "healthy_v1.wasm"));
            assertFalse(refused.accepted(), () -> "intake accepted a revoked key: " + refused.json());
            assertEquals("CERTIFICATE_REVOKED", refused.reason().orElseThrow(), refused.json().toString());
            assertEquals(3, refused.exitCode());
            assertTrue(refused.detail().orElseThrow().contains("acme signing key leaked"), refused.json().toString());

            Campaign replayed = kit.campaign(countersignedBefore, FLEET, "2");
            PipelineKit.await("every vehicle to refuse the pre-revocation release", WAIT, () -> kit.oem().campaigns()
                    .actions(replayed.id()).stream().allMatch(a -> a.status() == Action.Status.FAILED));
            for (Action a : kit.oem().campaigns().actions(replayed.id())) {
                assertTrue(a.detail().orElse("").contains("CERTIFICATE_REVOKED"), a.toString());
            }
            assertEquals(slotsBefore, slots(kit), "no slot changed");
            for (String v : FLEET) {
                List<AuditRecord> log = AuditLog.read(kit.hosts.get(v).auditFile());
                assertTrue(log.stream().anyMatch(r -> r.event() == AuditEvent.SECURITY_EVENT
                        && "CERTIFICATE_REVOKED".equals(r.cause())), v);
                assertTrue(log.stream().anyMatch(r -> r.event() == AuditEvent.INSTALL_REFUSED
                        && "CERTIFICATE_REVOKED".equals(r.cause()) && r.detail().contains("CN=acme")), v);
            }

            revoke(kit, List.of(), List.of(new Revocation("e".repeat(64), "mis-issued test certificate")));
            awaitTrust(kit, 2);
            byte[] current = Files.readAllBytes(kit.pki.trustUpdateFile());
            TrustUpdate forgedContent = new TrustUpdate(3, Fixtures.T0, List.of(), List.of());
            TrustHierarchy foreignRoot = new Fixtures(dir.resolve("foreign"), 9).oem;
            try (Probe probe = new Probe(kit.mqtt, kit.topics.vehicleDeadLetter("veh-1"))) {
                probe.publish(kit.topics.update("veh-1"), new TrustUpdateMessage(current).encode());
                probe.publish(kit.topics.update("veh-1"), wott(SignedTrustUpdate.sign(forgedContent, kit.pki.release())));
                assertEquals("UNTRUSTED_SIGNER", nextDeadLetter(kit, probe).path("reason").asText(),
                        "signed by the release key (the repeat of the update in force before it is no dead letter)");
                probe.publish(kit.topics.update("veh-1"), wott(SignedTrustUpdate.sign(forgedContent, foreignRoot.root())));
                assertEquals("UNTRUSTED_SIGNER", nextDeadLetter(kit, probe).path("reason").asText(), "another OEM's root");
                probe.publish(kit.topics.update("veh-1"), wott(firstUpdate));
                JsonNode rollback = nextDeadLetter(kit, probe);
                assertEquals("TRUST_UPDATE_ROLLBACK", rollback.path("reason").asText());
                assertEquals("vehicle-update-veh-1", rollback.path("route").asText());
            }
            EcuHost veh1 = kit.hosts.get("veh-1");
            assertEquals(2, veh1.trust().sequence(), "nothing changed the trust in force");
            assertArrayEquals(current, Files.readAllBytes(dir.resolve("vehicles/veh-1").resolve(EcuHost.TRUST_DIR)
                    .resolve(TrustStore.UPDATE_FILE)));
            assertEquals(slotsBefore, slots(kit));
            List<AuditRecord> log = AuditLog.read(veh1.auditFile());
            assertEquals(3, log.stream().filter(r -> r.event() == AuditEvent.MESSAGE_DEAD_LETTERED
                    && r.detail().contains("vehicle-update-veh-1")
                    && List.of("UNTRUSTED_SIGNER", "TRUST_UPDATE_ROLLBACK").contains(r.cause())).count());
            assertEquals(2, log.stream().filter(r -> r.event() == AuditEvent.TRUST_UPDATED
                    && r.outcome() == AuditRecord.Outcome.SUCCESS).count(), "updates 1 and 2 only, the repeat not again");

            List<AuditRecord> oemLog = kit.trail().records();
            assertEquals(2, oemLog.stream().filter(r -> r.event() == AuditEvent.TRUST_UPDATED && "QUEUED".equals(r.cause())
                    && r.detail().contains("queued to 2 registered vehicle(s)")).count(), "each update queued once");
            assertTrue(kit.trail().verify().ok());
            for (String v : FLEET) {
                assertTrue(AuditLog.verify(kit.hosts.get(v).auditFile()).ok(), v);
            }
        }
    }

    /** What {@code ota oem revoke} does, then what a running {@code ota oem serve} does with it; returns the signed update. */
    private static byte[] revoke(PipelineKit kit, List<Revocation> keys, List<Revocation> certificates) throws IOException {
        kit.pki.revoke(keys, certificates).orElseThrow();
        kit.oem().distributeTrustUpdate();
        return Files.readAllBytes(kit.pki.trustUpdateFile());
    }

    private static void awaitTrust(PipelineKit kit, long sequence) throws InterruptedException {
        for (String v : FLEET) {
            // in force first, then audited: the record can come a moment after the sequence is seen
            PipelineKit.await(v + " to put trust update " + sequence + " in force and audit it", WAIT,
                    () -> kit.hosts.get(v).trust().sequence() == sequence && AuditLog.read(kit.hosts.get(v).auditFile()).stream()
                            .anyMatch(r -> r.event() == AuditEvent.TRUST_UPDATED && r.outcome() == AuditRecord.Outcome.SUCCESS
                                    && r.detail().contains("trust update " + sequence)));
        }
    }

    private static byte[] wott(byte[] signed) {
        return new TrustUpdateMessage(signed).encode();
    }

    private static JsonNode nextDeadLetter(PipelineKit kit, Probe probe) throws Exception {
        byte[] payload = probe.next(kit.topics.vehicleDeadLetter("veh-1"), WAIT).payload();
        return JSON.readTree(Frames.decode(payload, "WOTD", 2, 64 * 1024, 64 * 1024).get(0));
    }

    private static Campaign.State state(PipelineKit kit, Campaign c) {
        return kit.oem().campaigns().get(c.id()).state();
    }

    private static Map<String, ModuleState> slots(PipelineKit kit) {
        Map<String, ModuleState> out = new LinkedHashMap<>();
        for (String v : FLEET) {
            List<ModuleState> m = kit.hosts.get(v).modules();
            assertEquals(1, m.size(), v);
            out.put(v, m.get(0));
        }
        return out;
    }
}

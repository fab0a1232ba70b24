package dev.wasmota.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditChain;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.broker.BrokerKind;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.oem.audit.OemCheckpoints;
import dev.wasmota.oem.audit.VehicleAnchors;
import dev.wasmota.oem.audit.VehicleLogVerifier;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.release.Release;
import dev.wasmota.signing.pkg.PackageFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 over the real pipeline: a vehicle reports, its log is then rewritten on its disk with the
 * chain recomputed (records dropped, which verifies on its own), and the vehicle is started again.
 * Its next signed report contradicts the head the OEM anchored: a security event in the OEM's trail,
 * and the log file is refused against the anchors; the OEM's own trail still holds its checkpoints.
 */
class AnchoredLogIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Brokers BROKERS = new Brokers();

    @TempDir
    Path dir;

    @AfterAll
    static void stopBrokers() {
        BROKERS.close();
    }

    private static Release publish(PipelineKit kit, String version, long securityVersion, String wasm) {
        return kit.oem().releases().publish(PackageFile.toBytes(kit.fx.countersigned(kit.healthy(version, securityVersion, wasm))));
    }

    private static void completes(PipelineKit kit, Campaign c) throws InterruptedException {
        PipelineKit.await("campaign " + c.id() + " to complete", WAIT,
                () -> kit.oem().campaigns().get(c.id()).state() == Campaign.State.COMPLETED);
    }

    /** Keeps the first {@code keep} records of the log and seals them again: a chain that verifies. */
    private static void rewrite(Path log, int keep) throws Exception {
        List<AuditRecord> records = AuditLog.read(log);
        List<String> lines = new ArrayList<>();
        String prev = AuditLog.GENESIS_HASH;
        for (AuditRecord r : records.subList(0, keep)) {
            AuditRecord content = AuditRecord.builder(r.event()).actor(r.actor()).moduleId(r.moduleId())
                    .outcome(r.outcome()).cause(r.cause()).detail(r.detail()).build();
            AuditRecord sealed = AuditChain.seal(content, r.seq(), r.time(), prev);
            lines.add(new String(AuditChain.encode(sealed), StandardCharsets.UTF_8));
            prev = sealed.hash();
        }
        Files.writeString(log, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    @Test
    void aVehicleLogRewrittenWithARecomputedChainIsASecurityEventAtItsNextReport() throws Exception {
        try (PipelineKit kit = new PipelineKit(dir, BROKERS.get(BrokerKind.EMBEDDED))) {
            kit.startOem("w1");
            kit.startVehicle("veh-1");
            completes(kit, kit.campaign(publish(kit, "1.0.0", 1, "healthy_v1.wasm"), List.of("veh-1"), "1"));
            VehicleAnchors anchors = kit.oem().campaigns().anchors();
            PipelineKit.await("veh-1's first anchor", WAIT, () -> !anchors.anchors("veh-1").isEmpty());
            long anchored = anchors.anchors("veh-1").get(0).seq();
            assertEquals(VehicleAnchors.Verdict.CONSISTENT, anchors.anchors("veh-1").get(0).verdict());
            assertTrue(kit.trail().records(AuditEvent.SECURITY_EVENT).isEmpty(), "an honest vehicle raises no event");
            assertTrue(anchored > 2, "the install left records: " + anchored);

            kit.stopVehicle("veh-1");
            EcuHost host = kit.hosts.remove("veh-1");
            Path log = host.auditFile();
            host.close();
            rewrite(log, 2);
            assertTrue(AuditLog.verify(log).ok(), "the rewritten log verifies on its own");
            VehicleLogVerifier.Verdict offline = VehicleLogVerifier.verify(log,
                    VehicleLogVerifier.held(kit.trail(), anchors, "veh-1"));
            assertFalse(offline.ok(), offline.summary());

            kit.startVehicle("veh-1");
            completes(kit, kit.campaign(publish(kit, "2.0.0", 2, "healthy_v2.wasm"), List.of("veh-1"), "1"));
            PipelineKit.await("the security event", WAIT,
                    () -> !kit.trail().records(AuditEvent.SECURITY_EVENT).isEmpty());
            List<AuditRecord> events = kit.trail().records(AuditEvent.SECURITY_EVENT);
            assertEquals(1, events.size(), events::toString);
            AuditRecord event = events.get(0);
            assertTrue(Set.of("AUDIT_SEQ_WENT_BACK", "AUDIT_CHAIN_REWRITTEN").contains(event.cause()), event.toString());
            assertTrue(event.detail().startsWith("vehicle veh-1: "), event.detail());
            List<VehicleAnchors.Anchor> held = anchors.anchors("veh-1");
            assertEquals(2, held.size());
            assertEquals(VehicleAnchors.Verdict.valueOf(event.cause()), held.get(1).verdict());
            assertTrue(held.get(1).prevSeq() == anchored || held.get(1).seq() < anchored,
                    "the report proves from the head reported before, or names a lower seq: " + held.get(1));

            assertTrue(kit.trail().verify().ok());
            OemCheckpoints.Result signed = OemCheckpoints.verify(kit.database(), kit.trail(), kit.pki.campaign().cert());
            assertTrue(signed.ok() && signed.checkpoints() >= 4, signed.summary());
        }
    }
}

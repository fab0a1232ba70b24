package dev.wasmota.oem.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.FileOutbox;
import dev.wasmota.signing.pki.Revocation;
import dev.wasmota.signing.pki.SignedTrustUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OEM queues each new trust update to every registered vehicle once, durably, and audits it. */
class TrustDistributionTest {
    @TempDir
    Path dir;
    CampaignKit kit;
    FileOutbox outbox;
    TrustDistribution distribution;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir);
        kit.vehicles(3);
        outbox = new FileOutbox(kit.oemDir.resolve(FileOutbox.DIR));
        distribution = new TrustDistribution(kit.oem, outbox, kit.service.vehicles(), Optional.of(kit.audit), "test");
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    void revokeAcme(String reason) throws Exception {
        kit.fx.oem.revoke(List.of(new Revocation(Revocation.keySha256(kit.fx.acme.chain().get(0)), reason)), List.of());
    }

    @Test
    void nothingToQueueBeforeAnyRevocation() {
        assertEquals(List.of(), distribution.queueIfNew());
        assertEquals(0, distribution.queued());
    }

    @Test
    void queuesTheUpdateToEveryVehicleOnceAndRecordsIt() throws Exception {
        revokeAcme("leak");
        List<Path> files = distribution.queueIfNew();
        assertEquals(3, files.size());
        byte[] signed = Files.readAllBytes(kit.fx.oem.trustUpdateFile());
        for (String v : List.of("veh-1", "veh-2", "veh-3")) {
            Path f = outbox.trustUpdateFile(v, 1);
            assertTrue(files.contains(f), f.toString());
            assertArrayEquals(signed, Files.readAllBytes(f));
            assertEquals(1, SignedTrustUpdate.open(Files.readAllBytes(f), kit.fx.oem.root().cert()).sequence());
        }
        assertEquals(1, distribution.queued());
        assertEquals(List.of(), distribution.queueIfNew(), "queued once");
        List<AuditRecord> queued = AuditLog.read(kit.oemDir.resolve(CampaignWorkspace.AUDIT_FILE)).stream()
                .filter(r -> r.event() == AuditEvent.TRUST_UPDATED).toList();
        assertEquals(1, queued.size());
        assertEquals("QUEUED", queued.get(0).cause());
        assertTrue(queued.get(0).detail().contains("queued to 3 registered vehicle(s)"), queued.get(0).detail());
    }

    @Test
    void aLaterRevocationIsQueuedAgainAndSortsBeforeInstructions() throws Exception {
        revokeAcme("leak");
        distribution.queueIfNew();
        kit.fx.oem.revoke(List.of(new Revocation("b".repeat(64), "second")), List.of());
        assertEquals(3, distribution.queueIfNew().size());
        assertEquals(2, distribution.queued());
        String name = outbox.trustUpdateFile("veh-1", 2).getFileName().toString();
        assertTrue(name.compareTo("1-ins.wotains") < 0, name);
    }
}

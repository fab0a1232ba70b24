package dev.wasmota.oem.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.campaign.OutboxQueue;
import dev.wasmota.oem.campaign.TestDatabase;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pki.Revocation;
import dev.wasmota.signing.pki.SignedTrustUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Trust updates go through the OEM database: recorded from the directory where they were revoked,
 * written into every other worker's directory, queued once to every registered vehicle in the
 * database outbox (ahead of that vehicle's instructions) and audited.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class TrustDistributionTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;
    CampaignKit kit;
    TrustDistribution distribution;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir, database);
        kit.vehicles(3);
        distribution = new TrustDistribution(kit.oem, kit.db, kit.audit, "test", kit.clock);
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
        assertEquals(0, distribution.queueIfNew());
        assertEquals(0, distribution.queued());
    }

    @Test
    void queuesTheUpdateToEveryVehicleOnceAndRecordsIt() throws Exception {
        revokeAcme("leak");

        assertEquals(3, distribution.queueIfNew());

        byte[] signed = Files.readAllBytes(kit.fx.oem.trustUpdateFile());
        OutboxQueue queue = kit.queue();
        for (String v : List.of("veh-1", "veh-2", "veh-3")) {
            List<OutboxQueue.Entry> messages = queue.of(v);
            assertEquals(1, messages.size(), v);
            assertEquals(OutboxQueue.Kind.TRUST_UPDATE, messages.get(0).kind());
            byte[] payload = queue.payload(messages.get(0).id()).orElseThrow();
            assertArrayEquals(signed, payload);
            assertEquals(1, SignedTrustUpdate.open(payload, kit.fx.oem.root().cert()).sequence());
        }
        assertEquals(1, distribution.queued());
        assertEquals(0, distribution.queueIfNew(), "queued once");
        List<AuditRecord> queued = kit.audit.records(AuditEvent.TRUST_UPDATED);
        assertEquals(1, queued.size());
        assertEquals("QUEUED", queued.get(0).cause());
        assertTrue(queued.get(0).detail().contains("queued to 3 registered vehicle(s)"), queued.get(0).detail());
    }

    @Test
    void aLaterRevocationIsQueuedAgainAndGoesOutBeforeTheVehiclesInstructions() throws Exception {
        revokeAcme("leak");
        distribution.queueIfNew();
        kit.service.start(kit.service.create(kit.spec(kit.v2, List.of("veh-1", "veh-2", "veh-3"), "100%").build()).id());
        kit.fx.oem.revoke(List.of(new Revocation("b".repeat(64), "second")), List.of());

        assertEquals(3, distribution.queueIfNew());

        assertEquals(2, distribution.queued());
        assertEquals(List.of(OutboxQueue.Kind.TRUST_UPDATE, OutboxQueue.Kind.TRUST_UPDATE, OutboxQueue.Kind.INSTRUCTION),
                kit.queue().of("veh-1").stream().map(OutboxQueue.Entry::kind).toList());
        List<OutboxQueue.Message> first = kit.queue().claim("w1", 10);
        assertEquals(List.of(OutboxQueue.Kind.TRUST_UPDATE), first.stream().filter(m -> m.vehicleId().equals("veh-1"))
                .map(OutboxQueue.Message::kind).toList(), "one message per vehicle at a time, the first queued first");
    }

    @Test
    void aRevocationMadeInOneOemDirectoryReachesTheIntakeOfAWorkerOnAnother() throws Exception {
        Path other = copy(kit.fx.oemDir(), dir.resolve("worker-b"));
        OemPki workerB = OemPki.load(other, kit.clock, Fixtures.seeded(9));
        TrustDistribution atB = new TrustDistribution(workerB, kit.db, kit.audit, "worker-b", kit.clock);
        revokeAcme("leak");
        assertEquals(0, workerB.trustStore().sequence());

        assertEquals(1, distribution.sync(), "recorded from the directory it was revoked in");
        assertEquals(1, atB.sync(), "and written into the other");

        assertEquals(1, workerB.trustStore().sequence());
        assertTrue(workerB.trustStore().revocationOf(kit.fx.acme.chain().get(0)).isPresent());
    }

    private static Path copy(Path from, Path to) throws Exception {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }
}

package dev.wasmota.routes.oem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.FileOutbox;
import dev.wasmota.oem.campaign.IssuedInstruction;
import dev.wasmota.oem.campaign.Outbox;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.release.Release;
import dev.wasmota.protocol.Topics;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.Packager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign step commits, then hands its instructions to the outbox; an OEM killed in between
 * leaves them recorded in the database and in no outbox directory. The restarted worker delivers
 * exactly those again, byte for byte, and none that waits, is claimed or was sent.
 */
class OutboxRedeliveryTest {
    private static final Clock CLOCK = Clock.fixed(Fixtures.T0.plus(Duration.ofHours(1)), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void instructionsRecordedButNeverDeliveredAreDeliveredAgainOnce() throws Exception {
        Fixtures fx = new Fixtures(dir);
        Path oem = dir.resolve("oem");
        Optional<String> db = Optional.of("jdbc:h2:file:" + oem.resolve("campaigns/db"));
        Outbox killed = issued -> {
            throw new IllegalStateException("the process died after the commit");
        };
        List<String> ids = List.of("veh-1", "veh-2", "veh-3");
        String campaignId;
        try (CampaignWorkspace ws = CampaignWorkspace.open(oem, db, CLOCK, new Random(1), "test", Optional.empty(),
                Optional.of(killed))) {
            Release r = ws.releases().publish(PackageFile.toBytes(fx.countersigned(fx.supplierSigned(Packager.build(
                    Fixtures.wasm("healthy_v1.wasm"), Fixtures.spec("healthy", "1.0.0", 1, Fixtures.HEALTHY_CAPS)), fx.acme))));
            ids.forEach(id -> ws.vehicles().register(id, "ecu-a"));
            campaignId = ws.campaigns().create(CampaignSpec.builder(r.id(), Targets.vehicles(ids), WavePlan.parse("2,100%"))
                    .build()).id();
            assertThrows(IllegalStateException.class, () -> ws.campaigns().start(campaignId));
        }

        OutboxDispatcher d = new OutboxDispatcher(oem, "w1", fx.oem.trustStore(), new Topics("t"), CLOCK,
                Duration.ofSeconds(2));
        try (CampaignWorkspace ws = CampaignWorkspace.open(oem, db, CLOCK, new Random(2), "test", Optional.empty(),
                Optional.of(d))) {
            assertEquals(Campaign.State.RUNNING, ws.campaigns().get(campaignId).state(), "the step committed");
            List<IssuedInstruction> unanswered = ws.campaigns().unanswered();
            assertEquals(2, unanswered.size(), "wave 1's two instructions are recorded");
            assertEquals(2, d.redeliverMissing(unanswered));
            FileOutbox files = new FileOutbox(oem.resolve(FileOutbox.DIR));
            for (IssuedInstruction i : unanswered) {
                Path f = files.instructionFile(i);
                assertArrayEquals(ws.campaigns().instructionFile(i.instruction().instructionId()).orElseThrow(),
                        Files.readAllBytes(f), "the signed instruction as recorded");
                assertTrue(Files.exists(files.packageFile(i.instruction().packageSha256())), "its package beside it");
            }
            assertEquals(0, d.redeliverMissing(ws.campaigns().unanswered()), "already waiting in the outbox");

            IssuedInstruction sent = unanswered.get(0);
            IssuedInstruction claimed = unanswered.get(1);
            Path sentFile = move(files.instructionFile(sent), oem.resolve(OutboxDispatcher.SENT_DIR)
                    .resolve(sent.instruction().vehicleId()).resolve(sent.fileName()));
            move(files.instructionFile(claimed), oem.resolve(OutboxDispatcher.CLAIMED_DIR).resolve("w2")
                    .resolve(claimed.instruction().vehicleId()).resolve(claimed.fileName()));
            assertEquals(0, d.redeliverMissing(ws.campaigns().unanswered()), "sent, and claimed by another worker");

            Files.delete(sentFile);
            assertEquals(1, d.redeliverMissing(ws.campaigns().unanswered()), "only the one held nowhere");
            assertTrue(Files.exists(files.instructionFile(sent)));

            ws.campaigns().abort(campaignId);
            Files.delete(files.instructionFile(sent));
            assertEquals(List.of(), ws.campaigns().unanswered(), "an aborted campaign sends nothing more");
        }
    }

    private static Path move(Path from, Path to) throws java.io.IOException {
        Files.createDirectories(to.getParent());
        return Files.move(from, to);
    }
}

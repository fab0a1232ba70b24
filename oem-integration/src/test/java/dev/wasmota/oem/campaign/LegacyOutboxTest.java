package dev.wasmota.oem.campaign;

import static dev.wasmota.oem.campaign.Action.Status.COMMITTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An OEM directory that served with the file outbox of earlier versions: the instructions it still
 * owed its vehicles (unanswered and valid) are queued in the database outbox once, when it is first
 * opened; answered ones and those already queued are not.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class LegacyOutboxTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    @Test
    void theInstructionsAFileOutboxStillOwedAreQueuedOnce() throws Exception {
        try (CampaignKit kit = new CampaignKit(dir, database)) {
            List<String> vehicles = kit.vehicles(3);
            kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "100%").build()).id());
            kit.answer(kit.outbox.lastTo("veh-1"), COMMITTED);
            kit.db.transaction(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("DELETE FROM outbox_message");
                }
            });
            Files.createDirectories(kit.oemDir.resolve(LegacyOutbox.SENT).resolve("veh-1"));
            Files.createDirectories(kit.oemDir.resolve(LegacyOutbox.CLAIMED).resolve("w1"));

            assertEquals(2, LegacyOutbox.importInto(kit.service, kit.oemDir));

            OutboxQueue queue = kit.queue();
            assertEquals(List.of(), queue.of("veh-1"), "answered: not owed");
            for (String v : List.of("veh-2", "veh-3")) {
                assertEquals(List.of(kit.outbox.lastTo(v).fileName()), queue.of(v).stream()
                        .map(OutboxQueue.Entry::fileName).toList(), v);
            }
            assertTrue(Files.isDirectory(kit.oemDir.resolve(LegacyOutbox.SENT + ".imported")));
            assertEquals(0, LegacyOutbox.importInto(kit.service, kit.oemDir), "once");
            assertEquals(0, kit.service.queueUnanswered(), "what the outbox holds is not queued twice");
        }
    }
}

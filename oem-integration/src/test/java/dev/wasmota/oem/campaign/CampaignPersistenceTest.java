package dev.wasmota.oem.campaign;

import static dev.wasmota.oem.campaign.Action.Status.COMMITTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmota.signing.error.RejectedException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Campaign state lives in the database: it survives closing and reopening; the schema is versioned. */
class CampaignPersistenceTest {
    @TempDir
    Path dir;

    @Test
    void stateSurvivesClosingAndReopeningTheDatabase() {
        String url = CampaignDatabase.defaultUrl(dir.resolve("oem"));
        Campaign k;
        IssuedInstruction first;
        try (CampaignKit kit = new CampaignKit(dir, url)) {
            List<String> vehicles = kit.vehicles(3);
            k = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "1,100%").advanceAt(100).build()).id());
            first = kit.outbox.lastTo("veh-1");
            kit.answer(first, COMMITTED);
            kit.service.pause(k.id());
            kit.close();

            kit.open();

            CampaignStatus s = kit.service.status(k.id());
            assertEquals(Campaign.State.PAUSED, s.campaign().state());
            assertEquals(2, s.campaign().currentWave());
            assertEquals(1, s.total().committed());
            assertEquals(2, s.total().awaiting());
            assertEquals(k.release(), s.campaign().release());
            assertEquals(k.createdAt(), s.campaign().createdAt());
            assertEquals(1, kit.service.vehicles().find("veh-2").orElseThrow().lastCounter());
            assertEquals(true, kit.answer(first, COMMITTED).duplicate());
            assertEquals(Campaign.State.RUNNING, kit.service.resume(k.id()).state());
            assertEquals(1, kit.db.schemaVersion());
        }
    }

    @Test
    void refusesDatabaseWithANewerSchema() throws Exception {
        String url = "jdbc:h2:mem:newer-schema";
        try (Connection keep = DriverManager.getConnection(url)) {
            CampaignDatabase.open(url, new MutableClock(java.time.Instant.EPOCH)).close();
            try (Statement s = keep.createStatement()) {
                s.execute("INSERT INTO schema_version (version, applied_at) VALUES (99, CURRENT_TIMESTAMP)");
            }

            RejectedException e = assertThrows(RejectedException.class,
                    () -> CampaignDatabase.open(url, new MutableClock(java.time.Instant.EPOCH)));

            assertEquals(CampaignFailure.SCHEMA_TOO_NEW, e.reason());
        }
    }

    @Test
    void refusesUnusableUrl() {
        RejectedException e = assertThrows(RejectedException.class,
                () -> CampaignDatabase.open("jdbc:nosuchdb:x", new MutableClock(java.time.Instant.EPOCH)));

        assertEquals(CampaignFailure.DATABASE_UNAVAILABLE, e.reason());
        assertEquals(2, e.exitCode().code());
    }
}

package dev.wasmota.oem.campaign;

import dev.wasmota.testkit.MutableClock;

import static dev.wasmota.oem.campaign.Action.Status.COMMITTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmota.contract.error.RejectedException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
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
            assertEquals(Schema.LATEST, kit.db.schemaVersion());
        }
    }

    @Test
    void migratesAnEmptyVersionOneDatabase() throws Exception {
        String url = "jdbc:h2:mem:version-one";
        try (Connection keep = DriverManager.getConnection(url); Statement s = keep.createStatement()) {
            s.execute(Schema.VERSION_TABLE);
            for (String sql : Schema.migration(1)) {
                s.execute(sql);
            }
            s.execute("INSERT INTO schema_version (version, applied_at) VALUES (1, CURRENT_TIMESTAMP)");

            try (CampaignDatabase db = CampaignDatabase.open(url, new MutableClock(java.time.Instant.EPOCH))) {
                assertEquals(2, db.schemaVersion());
            }
            try (CampaignDatabase db = CampaignDatabase.open(url, new MutableClock(java.time.Instant.EPOCH))) {
                assertEquals(2, db.schemaVersion());
            }
        }
    }

    @Test
    void campaignOfAVersionOneDatabaseHasNoHoldAndRunsAsBefore() throws Exception {
        String url = CampaignDatabase.defaultUrl(dir.resolve("oem"));
        try (CampaignKit kit = new CampaignKit(dir, url)) {
            List<String> vehicles = kit.vehicles(4);
            String id = kit.service.create(kit.spec(kit.v2, vehicles, "2,100%").advanceAt(100).id("c-old").build()).id();
            kit.close();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE campaign DROP COLUMN hold_seconds");
                s.execute("DELETE FROM schema_version WHERE version > 1");
            }

            kit.open();

            assertEquals(Schema.LATEST, kit.db.schemaVersion());
            assertEquals(Duration.ZERO, kit.service.get(id).hold());
            kit.service.start(id);
            kit.answerAll(kit.outbox.of(id), COMMITTED);
            assertEquals(2, kit.service.get(id).currentWave());
            assertEquals(4, kit.outbox.of(id).size());
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

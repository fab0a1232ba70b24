package dev.wasmota.oem.campaign;

import static dev.wasmota.oem.campaign.Action.Status.COMMITTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.testkit.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Campaign state lives in the OEM database: it survives closing and reopening; the schema is
 * migrated by Flyway, and a database migrated by a newer program, or whose applied migrations were
 * edited, is refused.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class CampaignPersistenceTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    /** A database that outlives closing it: the default H2 file of an OEM directory, or a new PostgreSQL schema. */
    private String durableUrl() {
        return database == TestDatabase.H2 ? CampaignDatabase.defaultUrl(dir.resolve("oem")) : database.freshUrl();
    }

    @Test
    void stateSurvivesClosingAndReopeningTheDatabase() {
        try (CampaignKit kit = new CampaignKit(dir, durableUrl())) {
            List<String> vehicles = kit.vehicles(3);
            Campaign k = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "1,100%").advanceAt(100).build()).id());
            IssuedInstruction first = kit.outbox.lastTo("veh-1");
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
            assertEquals(List.of(kit.v1, kit.v2), kit.releases.list());
            assertTrue(kit.audit.verify().ok());
            assertEquals(Migrations.LATEST, kit.db.schemaVersion());
        }
    }

    @Test
    void aNewDatabaseIsMigratedToTheLatestVersionAndOpensAgainUnchanged() {
        String url = database.freshUrl();
        try (CampaignDatabase db = CampaignDatabase.open(url, clock())) {
            assertEquals(Migrations.LATEST, db.schemaVersion());
        }
        try (CampaignDatabase db = CampaignDatabase.open(url, clock())) {
            assertEquals(Migrations.LATEST, db.schemaVersion());
        }
    }

    @Test
    void refusesADatabaseMigratedByANewerProgram() throws Exception {
        String url = database.freshUrl();
        CampaignDatabase.open(url, clock()).close();
        execute(url, "INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", \"type\","
                + " \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\")"
                + " VALUES (99, '99', 'from a newer ota', 'SQL', 'V99__newer.sql', 0, 'test', 0, TRUE)");

        RejectedException e = assertThrows(RejectedException.class, () -> CampaignDatabase.open(url, clock()));

        assertEquals(CampaignFailure.SCHEMA_TOO_NEW, e.reason());
        assertEquals(4, e.exitCode().code());
        assertTrue(e.getMessage().contains("schema version 99") && e.getMessage().contains("knows up to " + Migrations.LATEST),
                e.getMessage());
    }

    @Test
    void refusesADatabaseWhoseAppliedMigrationWasEdited() throws Exception {
        String url = database.freshUrl();
        CampaignDatabase.open(url, clock()).close();
        execute(url, "UPDATE \"flyway_schema_history\" SET \"checksum\" = 12345 WHERE \"version\" = '2'");

        RejectedException e = assertThrows(RejectedException.class, () -> CampaignDatabase.open(url, clock()));

        assertEquals(CampaignFailure.DATABASE_UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void refusesANonEmptyDatabaseItDidNotCreate() throws Exception {
        String url = database.freshUrl();
        execute(url, "CREATE TABLE someone_elses (id INTEGER PRIMARY KEY)");

        RejectedException e = assertThrows(RejectedException.class, () -> CampaignDatabase.open(url, clock()));

        assertEquals(CampaignFailure.DATABASE_UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("non-empty"), e.getMessage());
    }

    @Test
    void refusesUnusableUrl() {
        RejectedException e = assertThrows(RejectedException.class,
                () -> CampaignDatabase.open("jdbc:nosuchdb:x", clock()));

        assertEquals(CampaignFailure.DATABASE_UNAVAILABLE, e.reason());
        assertEquals(2, e.exitCode().code());
    }

    private static MutableClock clock() {
        return new MutableClock(Instant.EPOCH);
    }

    static void execute(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}

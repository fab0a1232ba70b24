package dev.wasmota.oem.campaign;

import static dev.wasmota.oem.campaign.Action.Status.COMMITTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.testkit.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An OEM directory of an earlier version: its H2 campaign database, made by the hand-written
 * migrations (versions 1 and 2, a {@code schema_version} table), is baselined at the version it
 * records and migrated on from there, its rows kept. (Those migrations never ran on PostgreSQL:
 * their binary column type was H2's.)
 */
class HandWrittenDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyVersionOneDatabaseIsBaselinedAndMigratedToTheLatest() throws Exception {
        String url = CampaignDatabase.defaultUrl(dir.resolve("oem"));
        try (Connection keep = DriverManager.getConnection(url)) {
            HandWrittenSchema.create(keep, 1);

            try (CampaignDatabase db = CampaignDatabase.open(url, clock())) {
                assertEquals(Migrations.LATEST, db.schemaVersion());
            }
            try (CampaignDatabase db = CampaignDatabase.open(url, clock())) {
                assertEquals(Migrations.LATEST, db.schemaVersion());
                assertEquals(false, db.transaction(c -> Migrations.hasTable(c, Migrations.LEGACY_TABLE)),
                        "the hand-written version table is gone once Flyway took over");
            }
        }
    }

    @Test
    void aCampaignOfAVersionOneDatabaseHasNoHoldAndRunsAsBefore() throws Exception {
        String url = CampaignDatabase.defaultUrl(dir.resolve("oem"));
        try (CampaignKit kit = new CampaignKit(dir, url)) {
            List<String> vehicles = kit.vehicles(4);
            String id = kit.service.create(kit.spec(kit.v2, vehicles, "2,100%").advanceAt(100).id("c-old").build()).id();
            kit.close();
            downgradeToVersionOne(url);

            kit.open();
            kit.releases.publish(PackageFile.toBytes(kit.fx.released()));
            kit.releases.publish(PackageFile.toBytes(CampaignKit.healthy(kit.fx, "2.0.0", 2, "healthy_v2.wasm")));

            assertEquals(Migrations.LATEST, kit.db.schemaVersion());
            assertEquals(Duration.ZERO, kit.service.get(id).hold());
            kit.service.start(id);
            kit.answerAll(kit.outbox.of(id), COMMITTED);
            assertEquals(2, kit.service.get(id).currentWave());
            assertEquals(4, kit.outbox.of(id).size());
        }
    }

    @Test
    void refusesADatabaseOfANewerHandWrittenVersion() throws Exception {
        String url = CampaignDatabase.defaultUrl(dir.resolve("oem"));
        try (Connection keep = DriverManager.getConnection(url); Statement s = keep.createStatement()) {
            HandWrittenSchema.create(keep, 2);
            s.execute("INSERT INTO schema_version (version, applied_at) VALUES (7, CURRENT_TIMESTAMP)");

            RejectedException e = assertThrows(RejectedException.class, () -> CampaignDatabase.open(url, clock()));

            assertEquals(CampaignFailure.SCHEMA_TOO_NEW, e.reason());
        }
    }

    /** What a version-one database of the hand-written migrations holds: no hold column, none of Flyway's or later tables. */
    private static void downgradeToVersionOne(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String table : List.of("update_record", "campaign_rollout", "vehicle_health", "oem_release", "module_owner", "audit_record",
                    "audit_head", "outbox_message", "oem_worker", "trust_update", "vehicle_log_anchor", "audit_checkpoint",
                    "release_topic", "campaign_wave_count", "shadow_command", "campaign_shadow_decision",
                    "rxswin", "release_rxswin", "vehicle_configuration", "campaign_notice", "vehicle_user_notice", "release_record",
                    "vehicle_fleet_state",
                    "\"flyway_schema_history\"")) {
                s.execute("DROP TABLE " + table);
            }
            s.execute("DROP INDEX action_by_wave");
            s.execute("DROP INDEX action_members");
            s.execute("ALTER TABLE campaign DROP COLUMN hold_seconds");
            s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY,"
                    + " applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
            s.execute("INSERT INTO schema_version (version, applied_at) VALUES (1, CURRENT_TIMESTAMP)");
        }
    }

    private static MutableClock clock() {
        return new MutableClock(Instant.EPOCH);
    }
}

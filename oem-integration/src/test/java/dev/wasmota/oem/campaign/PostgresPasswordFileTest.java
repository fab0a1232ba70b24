package dev.wasmota.oem.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.testkit.MutableClock;
import dev.wasmota.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The password of a PostgreSQL OEM database kept out of the command line, as docs/OPERATIONS.md
 * says: a URL with the user only, the password in a password file ({@code ~/.pgpass}, here named by
 * the driver's {@code org.postgresql.pgpassfile}); without it the database is refused, naming why.
 */
class PostgresPasswordFileTest {
    private static final String PGPASSFILE = "org.postgresql.pgpassfile";

    @TempDir
    Path dir;

    @Test
    void aUrlWithoutThePasswordOpensWithThePasswordFileAndIsRefusedWithout() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        String url = "jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + pg.freshDatabase() + "?user=" + PostgresServer.USER;
        Path pgpass = Files.writeString(dir.resolve("pgpass"), pg.pgpassLine() + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));

        RejectedException refused = assertThrows(RejectedException.class, () -> CampaignDatabase.open(url, clock()));
        assertEquals(CampaignFailure.DATABASE_UNAVAILABLE, refused.reason());

        System.setProperty(PGPASSFILE, pgpass.toString());
        try (CampaignDatabase db = CampaignDatabase.open(url, clock())) {
            assertEquals(Migrations.LATEST, db.schemaVersion());
        } finally {
            System.clearProperty(PGPASSFILE);
        }
    }

    private static MutableClock clock() {
        return new MutableClock(Instant.EPOCH);
    }
}

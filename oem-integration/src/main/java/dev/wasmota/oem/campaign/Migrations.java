package dev.wasmota.oem.campaign;

import dev.wasmota.contract.error.RejectedException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The OEM database's schema, migrated by Flyway from the versioned SQL scripts in
 * {@value #LOCATION} (one set for H2 and PostgreSQL; placeholders where their SQL differs). A
 * database the hand-written migrations of earlier versions created (a {@code schema_version}
 * table, no Flyway history) is baselined at the version it records, and the scripts above it run.
 * A database migrated by a newer program (a version this one has no script for) is refused,
 * and so is one whose applied scripts differ from ours (an edited migration).
 */
final class Migrations {
    /** Where the scripts are, {@code V<n>__<what>.sql}. */
    static final String LOCATION = "classpath:dev/wasmota/oem/db/migration";
    /** The schema version this program writes: its newest script. */
    static final int LATEST = 90;
    /** The highest version the hand-written migrations (before Flyway) ever wrote. */
    static final int LAST_HAND_WRITTEN = 2;
    static final String HISTORY_TABLE = "flyway_schema_history";
    static final String LEGACY_TABLE = "schema_version";

    /** The databases the scripts are written for. */
    enum Vendor {
        H2("VARBINARY", "BLOB"),
        POSTGRESQL("BYTEA", "BYTEA");

        private final String bytes;
        private final String blob;

        Vendor(String bytes, String blob) {
            this.bytes = bytes;
            this.blob = blob;
        }

        static Vendor of(Connection c, String url) throws SQLException {
            String product = c.getMetaData().getDatabaseProductName();
            return switch (product) {
                case "H2" -> H2;
                case "PostgreSQL" -> POSTGRESQL;
                default -> throw new RejectedException(CampaignFailure.DATABASE_UNAVAILABLE, "database " + redact(url)
                        + " is " + product + "; the OEM database runs on H2 or PostgreSQL");
            };
        }
    }

    private Migrations() {
    }

    /**
     * Brings the database {@code c} (at {@code url}) to {@link #LATEST}: baselines one the
     * hand-written migrations created, refuses one that is newer, applies what is missing.
     */
    static void migrate(Connection c, String url) throws SQLException {
        Vendor vendor = Vendor.of(c, url);
        FluentConfiguration config = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(url, null, null)
                .locations(LOCATION)
                .placeholders(Map.of("bytes", vendor.bytes, "blob", vendor.blob))
                .table(HISTORY_TABLE)
                .validateMigrationNaming(true);
        if (hasTable(c, HISTORY_TABLE)) {
            int recorded = highestRecorded(c);
            if (recorded > LATEST) {
                throw tooNew(url, recorded);
            }
        } else {
            Optional<Integer> legacy = legacyVersion(c);
            if (legacy.isPresent()) {
                if (legacy.get() > LAST_HAND_WRITTEN) {
                    throw tooNew(url, legacy.get());
                }
                config.baselineVersion(Integer.toString(legacy.get()))
                        .baselineDescription("schema version " + legacy.get() + " of the hand-written migrations")
                        .baselineOnMigrate(true);
            }
        }
        c.commit();
        try {
            config.load().migrate();
        } catch (FlywayException e) {
            throw new RejectedException(CampaignFailure.DATABASE_UNAVAILABLE, "cannot migrate the OEM database "
                    + redact(url) + ": " + firstLines(e.getMessage(), 2), e);
        }
    }

    /** The highest version Flyway's history records, applied or failed: a newer program's, if above {@link #LATEST}. */
    private static int highestRecorded(Connection c) throws SQLException {
        int version = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT \"version\" FROM \"" + HISTORY_TABLE
                + "\" WHERE \"version\" IS NOT NULL")) {
            while (rs.next()) {
                version = Math.max(version, Integer.parseInt(rs.getString(1)));
            }
        }
        return version;
    }

    /** The schema version recorded in Flyway's history: the newest script (or baseline) applied. */
    static int version(Connection c) throws SQLException {
        int version = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT \"version\" FROM \"" + HISTORY_TABLE
                + "\" WHERE \"success\" = TRUE AND \"version\" IS NOT NULL")) {
            while (rs.next()) {
                version = Math.max(version, Integer.parseInt(rs.getString(1)));
            }
        }
        return version;
    }

    private static Optional<Integer> legacyVersion(Connection c) throws SQLException {
        if (!hasTable(c, LEGACY_TABLE)) {
            return Optional.empty();
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + LEGACY_TABLE)) {
            rs.next();
            int v = rs.getInt(1);
            return rs.wasNull() ? Optional.empty() : Optional.of(v);
        }
    }

    /** Whether the connection's current schema has {@code table}, in whatever case the database stored it. */
    static boolean hasTable(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        String schema = c.getSchema();
        for (String name : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
            try (ResultSet rs = meta.getTables(c.getCatalog(), schema, name, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static RejectedException tooNew(String url, int version) {
        return new RejectedException(CampaignFailure.SCHEMA_TOO_NEW, "the OEM database " + redact(url)
                + " is at schema version " + version + ", written by a newer program; this one knows up to " + LATEST
                + " (run the newer ota, or restore a backup from before the upgrade)");
    }

    /** {@code url} without the value of a {@code password} parameter, for messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** The first {@code n} non-blank lines of {@code message}, joined by "; ". */
    static String firstLines(String message, int n) {
        if (message == null) {
            return "unknown error";
        }
        return String.join("; ", message.lines().map(String::strip).filter(l -> !l.isEmpty()).limit(n).toList());
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        String trimmed = message.strip();
        int nl = trimmed.indexOf('\n');
        return nl < 0 ? trimmed : trimmed.substring(0, nl);
    }
}

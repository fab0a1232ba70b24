package dev.wasmota.oem.campaign;

import dev.wasmota.contract.error.RejectedException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The campaign and vehicle state, in any JDBC database through plain SQL: an embedded H2 file
 * under the OEM directory by default, a server database when its URL is given. The schema is
 * created on first use and migrated by version ({@code schema_version}). One connection,
 * transactions run one at a time; rows are locked ({@code SELECT ... FOR UPDATE}) so several
 * processes can share a server database. SQL failures are thrown as {@link IllegalStateException}.
 */
public final class CampaignDatabase implements AutoCloseable {
    /** The campaign database directory inside the OEM directory. */
    public static final String DIR = "campaigns";
    /** H2's error code for a database file locked by another process. */
    private static final int H2_DATABASE_IN_USE = 90020;

    private final Connection connection;
    private final String url;
    private final Clock clock;

    /** Work done inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private CampaignDatabase(Connection connection, String url, Clock clock) {
        this.connection = connection;
        this.url = url;
        this.clock = clock;
    }

    /**
     * The default URL for {@code oemDir}: an embedded H2 file, closed by {@link #close} rather than
     * at JVM exit. One process at a time holds it; a second is refused
     * ({@link CampaignFailure#DATABASE_UNAVAILABLE}). H2's {@code AUTO_SERVER=TRUE} would let a
     * second process in, but opens a network listener, so it is left to an explicit {@code --db}.
     */
    public static String defaultUrl(Path oemDir) {
        return "jdbc:h2:file:" + oemDir.toAbsolutePath().resolve(DIR).resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** Opens the database at {@code url}, creating or migrating the schema. */
    public static CampaignDatabase open(String url, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        Connection c;
        try {
            c = DriverManager.getConnection(url);
        } catch (SQLException e) {
            String why = e.getErrorCode() == H2_DATABASE_IN_USE
                    ? "it is in use by another process (ota oem serve?); use that process, or a server database with --db"
                    : firstLine(e.getMessage());
            throw new RejectedException(CampaignFailure.DATABASE_UNAVAILABLE,
                    "cannot open campaign database " + url + ": " + why, e);
        }
        CampaignDatabase db = new CampaignDatabase(c, url, clock);
        try {
            writeEveryCommit(c, url);
            c.setAutoCommit(false);
            db.migrate();
            return db;
        } catch (SQLException | RuntimeException e) {
            db.close();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("campaign database " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes an embedded H2 database write each commit to its file before the commit returns. H2
     * otherwise writes commits in the background up to a second later, so an OEM killed right
     * after a campaign step (whose instructions were already in the outbox and on their way) came
     * back without it. The write reaches the operating system, which keeps it across a killed
     * process; surviving a power cut as well would need a sync per commit.
     */
    private static void writeEveryCommit(Connection c, String url) throws SQLException {
        if (url.startsWith("jdbc:h2:")) {
            try (Statement s = c.createStatement()) {
                s.execute("SET WRITE_DELAY 0");
            }
        }
    }

    public String url() {
        return url;
    }

    /** The schema version the database is at. */
    public synchronized int schemaVersion() {
        return transaction(CampaignDatabase::readVersion);
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
    synchronized <T> T transaction(Work<T> work) {
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw new IllegalStateException("campaign database: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            rollbackQuietly(e);
            throw e;
        }
    }

    private void rollbackQuietly(Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    Clock clock() {
        return clock;
    }

    @Override
    public synchronized void close() {
        try {
            if (!connection.isClosed()) {
                connection.rollback();
                connection.close();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close campaign database " + url + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(Schema.VERSION_TABLE);
        }
        connection.commit();
        int version = readVersion(connection);
        if (version > Schema.LATEST) {
            throw new RejectedException(CampaignFailure.SCHEMA_TOO_NEW, "campaign database " + url + " has schema version "
                    + version + "; this program knows up to " + Schema.LATEST);
        }
        for (int v = version + 1; v <= Schema.LATEST; v++) {
            try (Statement s = connection.createStatement()) {
                for (String sql : Schema.migration(v)) {
                    s.execute(sql);
                }
            }
            try (PreparedStatement p = connection.prepareStatement(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)")) {
                p.setInt(1, v);
                p.setObject(2, time(clock.instant()));
                p.executeUpdate();
            }
            connection.commit();
        }
    }

    private static int readVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}

package dev.wasmota.oem.campaign;

import dev.wasmota.contract.error.RejectedException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Set;

/**
 * The OEM database: vehicles, campaigns, releases, module owners, the outbox, the workers' leases,
 * trust updates and the OEM's audit trail, everything every {@code ota oem} command and every
 * {@code oem serve} worker share. H2 or PostgreSQL through plain SQL: an embedded H2 file under the
 * OEM directory by default, a server database when its URL is given. The schema is migrated by
 * Flyway ({@link Migrations}) when the database is opened. One connection per process, transactions
 * one at a time, rows locked ({@code SELECT ... FOR UPDATE}) so several processes share it; a
 * transaction a concurrent one aborted (deadlock, serialization, lock timeout) is run again, and so
 * is one whose connection was lost before it committed (on a new connection; the embedded default
 * loses it when the process serving the file stops, and another takes over). SQL failures are thrown as
 * {@link IllegalStateException}.
 */
public final class CampaignDatabase implements AutoCloseable {
    /** The embedded database's directory inside the OEM directory. */
    public static final String DIR = "campaigns";
    /** H2's error code for a database file locked by another process. */
    private static final int H2_DATABASE_IN_USE = 90020;
    /** How often a transaction aborted by a concurrent one is tried, in all. */
    private static final int ATTEMPTS = 5;
    /** SQL states of a transaction that lost to a concurrent one: serialization failure, deadlock, H2's lock timeout. */
    private static final Set<String> CONTENDED = Set.of("40001", "40P01", "HYT00");
    /** H2's codes for a connection that broke or a database closed under it (its server process died). */
    private static final Set<String> H2_CONNECTION_LOST = Set.of("90067", "90098", "90121");

    static {
        // The embedded default lets other processes in through a TCP server the first process opens
        // (AUTO_SERVER); H2 binds it to every interface unless told otherwise. Loopback only.
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    private final String url;
    private final Clock clock;
    private Connection connection;
    private boolean closed;
    private long commits;

    /** Work done inside one transaction; it may run more than once, so it keeps its effects in the database. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private CampaignDatabase(Connection connection, String url, Clock clock) {
        this.connection = connection;
        this.url = url;
        this.clock = clock;
    }

    /**
     * The default URL for {@code oemDir}: an embedded H2 file. The first process to open it serves it to the others on the same machine
     * ({@code AUTO_SERVER}, on 127.0.0.1 and a random port, behind a random key kept in the
     * database's lock file), so every {@code ota oem} command works while {@code oem serve} runs; when
     * that process stops, the next one takes over. Workers on other machines need a server
     * database ({@code --db jdbc:postgresql://...}).
     */
    public static String defaultUrl(Path oemDir) {
        return "jdbc:h2:file:" + oemDir.toAbsolutePath().resolve(DIR).resolve("db")
                + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000";
    }

    /** Opens the database at {@code url}, creating or migrating the schema. */
    public static CampaignDatabase open(String url, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        CampaignDatabase db = new CampaignDatabase(connect(url), url, clock);
        try {
            Migrations.migrate(db.connection, url);
            return db;
        } catch (SQLException | RuntimeException e) {
            db.close();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("OEM database " + Migrations.redact(url) + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(String url) {
        Connection c;
        try {
            c = DriverManager.getConnection(url);
        } catch (SQLException e) {
            String why = e.getErrorCode() == H2_DATABASE_IN_USE
                    ? "it is in use by another process; open it with AUTO_SERVER=TRUE (the default URL does), or use a"
                    + " server database with --db"
                    : Migrations.firstLine(e.getMessage());
            throw new RejectedException(CampaignFailure.DATABASE_UNAVAILABLE,
                    "cannot open the OEM database " + Migrations.redact(url) + ": " + why, e);
        }
        try {
            writeEveryCommit(c, url);
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw new IllegalStateException("OEM database " + Migrations.redact(url) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes an embedded H2 database write each commit to its file before the commit returns. H2
     * otherwise writes commits in the background up to a second later, so an OEM killed right
     * after a campaign step (whose instructions were already on their way) came back without it.
     * The write reaches the operating system, which keeps it across a killed process; surviving a
     * power cut as well would need a sync per commit. A server database commits durably itself.
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

    /** Campaign steps that write at least this many rows refresh the planner's statistics of the tables they filled. */
    static final int ANALYZE_AFTER_ROWS = 1000;

    /**
     * Refreshes PostgreSQL's planner statistics of {@code table} (a constant name) inside the
     * caller's transaction, which sees its own rows. After a bulk write (a campaign of 100,000
     * actions) the statistics still describe the table as it was before: PostgreSQL then planned the
     * update of one action by the campaign's wave index instead of its primary key, reading every
     * action of the campaign for each one, so starting a wave of 100,000 took time quadratic in its
     * size. H2 plans these by the primary key without statistics; nothing is done there.
     */
    static void analyze(Connection c, String table) throws SQLException {
        if ("PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE " + table);
            }
        }
    }


    /** The schema version the database is at. */
    public synchronized int schemaVersion() {
        return transaction(Migrations::version);
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. A
     * transaction aborted by a concurrent one is run again, up to {@value #ATTEMPTS} times in all.
     */
    public synchronized <T> T transaction(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            Connection c = connection();
            boolean committing = false;
            try {
                T result = work.run(c);
                committing = true;
                c.commit();
                commits++;
                return result;
            } catch (SQLException e) {
                rollbackQuietly(c, e);
                boolean lost = isConnectionLost(e);
                if (lost) {
                    closeQuietly(c);
                    connection = null;
                }
                // a connection lost during the commit leaves its outcome unknown: that is not run again
                boolean again = lost ? !committing : CONTENDED.contains(e.getSQLState());
                if (again && attempt < ATTEMPTS) {
                    pause(attempt);
                    continue;
                }
                throw new IllegalStateException("OEM database: " + Migrations.firstLine(e.getMessage()), e);
            } catch (RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            }
        }
    }

    /**
     * How many transactions this handle has committed since it was opened: what a group commit
     * saves is counted in commits, so tests hold it to one per batch.
     */
    public synchronized long commits() {
        return commits;
    }

    private Connection connection() {
        if (closed) {
            throw new IllegalStateException("the OEM database " + Migrations.redact(url) + " is closed");
        }
        if (connection == null) {
            connection = connect(url);
        }
        return connection;
    }

    /** SQL state class 08 (connection exception), or H2's broken connection and closed database. */
    private static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || H2_CONNECTION_LOST.contains(state));
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(10L * attempt * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a transaction", e);
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // gone already
        }
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (connection == null) {
            return;
        }
        try {
            if (!connection.isClosed()) {
                connection.rollback();
                connection.close();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close the OEM database " + Migrations.redact(url) + ": " + e.getMessage(), e);
        } finally {
            connection = null;
        }
    }

    /** {@code instant} as the database's TIMESTAMP WITH TIME ZONE (UTC); null stays null. */
    public static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** The instant in {@code column}, null if it is null. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** Whether {@code e} is a unique-key violation (two processes inserting the same row). */
    public static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}

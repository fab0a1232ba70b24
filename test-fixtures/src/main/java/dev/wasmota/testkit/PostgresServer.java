package dev.wasmota.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * PostgreSQL (Debian's {@code postgresql} package: {@code initdb} and {@code postgres}) as a child
 * process in a temporary directory on a free loopback port, password-authenticated
 * (scram-sha-256, a random password), started and stopped by the tests themselves as the Mosquitto
 * fixture is: never the machine's own cluster. PostgreSQL refuses to run as root, so under root (a
 * CI container) the server runs as the package's {@code postgres} user. A missing installation
 * fails the test with the install command rather than skipping it. Durability is traded for speed
 * ({@code fsync=off}): the data is thrown away.
 *
 * <p>{@link #shared()} is one server per JVM, stopped when the JVM exits; each test takes its own
 * schema ({@link #freshSchemaUrl}) or database ({@link #freshDatabaseUrl}), so tests never see each
 * other's rows. The JDBC driver must be on the test's class path; this class only names it.
 */
public final class PostgresServer implements AutoCloseable {
    /** Where Debian installs the server binaries, one directory per major version. */
    public static final Path DEBIAN_LIB = Path.of("/usr/lib/postgresql");
    public static final String USER = "ota";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final String READY = "database system is ready to accept connections";
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static PostgresServer shared;

    private final Process process;
    private final Path dir;
    private final int port;
    private final String password;

    private PostgresServer(Process process, Path dir, int port, String password) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.password = password;
    }

    /** The server every test of this JVM shares, started on first use and stopped at exit. */
    public static synchronized PostgresServer shared() {
        if (shared == null || !shared.process.isAlive()) {
            PostgresServer started = start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "postgres-stop"));
            shared = started;
        }
        return shared;
    }

    /** Initializes a cluster in a new temporary directory and starts it; returns once it accepts connections. */
    public static PostgresServer start() {
        Path bin = binaries();
        Path dir;
        try {
            dir = Files.createTempDirectory("ota-postgres-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for PostgreSQL", e);
        }
        String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        try {
            Path pwfile = dir.resolve("pwfile");
            Files.writeString(pwfile, password + "\n");
            if (asRoot()) {
                chownToPostgres(dir);
            }
            run(dir.resolve("initdb.log"), command(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
                    "-U", USER, "--pwfile=" + pwfile, "-A", "scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"));
            Files.delete(pwfile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot initialize a PostgreSQL cluster in " + dir, e);
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Path log = dir.resolve("postgres-" + port + ".log");
            Process p;
            try {
                p = new ProcessBuilder(command(bin.resolve("postgres").toString(), "-D", dir.resolve("data").toString(),
                        "-p", Integer.toString(port), "-h", "127.0.0.1", "-k", dir.toString(),
                        "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                        "-c", "max_connections=200"))
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run " + bin.resolve("postgres"), e);
            }
            PostgresServer server = new PostgresServer(p, dir, port, password);
            try {
                server.awaitReady(log);
                return server;
            } catch (IllegalStateException e) {
                server.stop();
                last = e;
            }
        }
        throw last;
    }

    /** The JDBC URL of {@code database} with this server's user and password. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER + "&password=" + password;
    }

    /** A line of a PostgreSQL password file ({@code ~/.pgpass}) for this server's user, any database. */
    public String pgpassLine() {
        return "127.0.0.1:" + port + ":*:" + USER + ":" + password;
    }

    /** A URL whose default schema is a new, empty one in database {@code postgres}. */
    public String freshSchemaUrl() {
        String schema = "t" + NAMES.incrementAndGet();
        execute(url("postgres"), "CREATE SCHEMA " + schema);
        return url("postgres") + "&currentSchema=" + schema;
    }

    /** The URL of a new, empty database. */
    public String freshDatabaseUrl() {
        return url(freshDatabase());
    }

    /** The name of a new, empty database. */
    public String freshDatabase() {
        String database = "db" + NAMES.incrementAndGet();
        execute(url("postgres"), "CREATE DATABASE " + database);
        return database;
    }

    public int port() {
        return port;
    }

    /** Runs one SQL statement as the server's user. */
    public static void execute(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server (a fast shutdown: open sessions are ended) and deletes its directory. */
    @Override
    public synchronized void close() {
        stop();
        delete(dir);
    }

    private void stop() {
        if (process.isAlive()) {
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = read(log);
            if (text.contains(READY)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("PostgreSQL stopped on start (exit " + process.exitValue() + "): " + tail(text));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while PostgreSQL started", e);
            }
        }
        throw new IllegalStateException("PostgreSQL did not accept connections within " + START_TIMEOUT.toSeconds() + " s: "
                + tail(read(log)));
    }

    /** The newest major version's binaries under {@link #DEBIAN_LIB}, or a failure naming the package to install. */
    static Path binaries() {
        String override = System.getProperty("postgres.bindir");
        if (override != null) {
            return Path.of(override);
        }
        try (Stream<Path> versions = Files.isDirectory(DEBIAN_LIB) ? Files.list(DEBIAN_LIB) : Stream.empty()) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/postgres")) && v.getFileName().toString().matches("\\d+"))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL not found under " + DEBIAN_LIB
                            + ": install it: apt-get install -y postgresql (scripts/test.sh does)"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + DEBIAN_LIB, e);
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The command, run as the {@code postgres} user when this JVM is root. */
    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        if (asRoot()) {
            cmd.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void chownToPostgres(Path path) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName("postgres"));
        view.setGroup(users.lookupPrincipalByGroupName("postgres"));
        if (!Files.isDirectory(path)) {
            return;
        }
        try (Stream<Path> children = Files.list(path)) {
            for (Path c : children.toList()) {
                chownToPostgres(c);
            }
        }
    }

    private static void run(Path log, List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took over 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                        + tail(read(log)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    private static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // a temporary directory; the system cleans it up eventually
        }
    }
}

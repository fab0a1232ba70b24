package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.OutboxQueue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ota oem} command while {@code ota oem serve} runs in its own process on the same OEM
 * directory and its default database (before: every one was refused, the H2 file and
 * {@code audit.log} locked by the worker). The worker serves the embedded H2 file to the other
 * processes of this machine on 127.0.0.1 only; it dispatches a campaign the command line started
 * and sends a revocation the command line signed; both write one audit trail, which verifies; a
 * second worker under the same name is refused.
 */
class OemWhileServingIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CAPS = ModuleOwnershipCliTest.CAPS;

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    record Result(int code, String out, String err) {
    }

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void everyOemCommandWorksWhileAWorkerServesTheSameDirectory() throws Exception {
        Path oem = dir.resolve("oem");
        ok("oem", "init", "--out", oem.toString());
        Path pkg = supplierPackage(oem);
        Process worker = serve(oem, "w1", dir.resolve("w1.out"), List.of("--broker-port", "0"));
        awaitOutput(worker, dir.resolve("w1.out"), "serving; stop with Ctrl-C");
        java.util.regex.Matcher broker = java.util.regex.Pattern.compile("embedded MQTT broker listening on (\\S+)")
                .matcher(Files.readString(dir.resolve("w1.out")));
        assertTrue(broker.find(), Files.readString(dir.resolve("w1.out")));
        assertEquals(java.util.Set.of("127.0.0.1"), listening(h2ServerPort(oem)), "the database is served on loopback only");

        ok("oem", "vehicle", "register", "--oem", oem.toString(), "--id", "veh-1", "--hardware", "ecu-a");
        assertTrue(ok("oem", "vehicle", "list", "--oem", oem.toString()).out().contains("veh-1"));
        Path released = dir.resolve("healthy-1.0.0.released.wotapkg");
        ok("oem", "integrate", "--oem", oem.toString(), "--package", pkg.toString(), "--out", released.toString(),
                "--soak-ticks", "200");
        ok("oem", "release", "publish", "--oem", oem.toString(), "--package", released.toString());
        assertTrue(ok("oem", "release", "list", "--oem", oem.toString()).out().contains("healthy"));
        assertTrue(ok("oem", "module", "list", "--oem", oem.toString()).out().contains("acme"));
        ok("oem", "campaign", "create", "--oem", oem.toString(), "--package", released.toString(), "--vehicles", "veh-1",
                "--waves", "100%", "--expires", "1h", "--id", "c1");
        ok("oem", "campaign", "start", "--oem", oem.toString(), "--campaign", "c1");
        assertTrue(ok("oem", "campaign", "status", "--oem", oem.toString(), "--campaign", "c1").out().contains("RUNNING"));
        ok("oem", "revoke", "--oem", oem.toString(), "--key-sha256", "ab".repeat(32), "--reason", "test");

        awaitCondition("the worker to send the campaign's instruction and the trust update", () -> sent(oem) == 2);
        String trail = awaitOutputOf(() -> ok("oem", "log", "--oem", oem.toString()).out(), "actor=oem-serve:w1");
        assertTrue(trail.contains("CAMPAIGN_STARTED") && trail.contains("actor=cli"), trail);
        assertTrue(trail.contains("TRUST_UPDATED") && trail.contains("cause=QUEUED"), trail);
        Result verified = ok("oem", "log", "--oem", oem.toString(), "--verify");
        assertTrue(verified.out().startsWith("OEM audit trail intact: "), verified.out());

        Path second = dir.resolve("w1-again.out");
        Process twin = serve(oem, "w1", second, List.of("--broker", broker.group(1)));
        assertTrue(twin.waitFor(60, TimeUnit.SECONDS), "a second w1 exits");
        assertEquals(2, twin.exitValue(), Files.readString(second));
        assertTrue(Files.readString(second).contains("rejected (WORKER_ACTIVE): OEM worker w1 is serving already"),
                Files.readString(second));

        worker.destroy();
        assertTrue(worker.waitFor(60, TimeUnit.SECONDS));
        assertTrue(ok("oem", "vehicle", "list", "--oem", oem.toString()).out().contains("veh-1"),
                "the database outlives the worker that served it");
    }

    /** A supplier key, its enrollment and a signed package of healthy 1.0.0, through the command line. */
    private Path supplierPackage(Path oem) {
        Path acme = dir.resolve("acme");
        ok("supplier", "keygen", "--supplier", "acme", "--out", acme.toString());
        ok("oem", "enroll", "--oem", oem.toString(), "--csr", acme.resolve("acme.csr.pem").toString(), "--supplier", "acme",
                "--capabilities", "log,clock,can.read:100-1ff,can.write:200-2ff", "--out", acme.resolve("acme.cert.pem").toString());
        Path pkg = dir.resolve("healthy-1.0.0.wotapkg");
        ok("supplier", "package", "--wasm", CliRoundTripTest.corpus("healthy_v1.wasm"), "--module", "healthy", "--version",
                "1.0.0", "--security-version", "1", "--capabilities", CAPS, "--memory-pages", "1", "--deadline-us", "100000",
                "--period-ms", "10", "--hardware", "ecu-a", "--out", pkg.toString());
        ok("supplier", "sign", "--package", pkg.toString(), "--key", acme.resolve("acme.key.pem").toString(), "--cert",
                acme.resolve("acme.cert.pem").toString());
        return pkg;
    }

    /** {@code ota oem serve} in a JVM of its own, with {@code brokerOptions}. */
    private Process serve(Path oem, String worker, Path output, List<String> brokerOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx384m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "oem", "serve", "--oem", oem.toString(), "--worker", worker,
                "--set", "ota.dispatch.scanMillis=300", "--set", "ota.campaign.tickMillis=300"));
        command.addAll(brokerOptions);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        children.add(p);
        return p;
    }

    /** The port of the H2 server of the OEM database, from its lock file. */
    private static int h2ServerPort(Path oem) throws IOException {
        Properties lock = new Properties();
        try (var in = Files.newInputStream(oem.resolve("campaigns/db.lock.db"))) {
            lock.load(in);
        }
        String server = lock.getProperty("server");
        return Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
    }

    /** The addresses a TCP socket of this machine listens on at {@code port} (Linux's /proc/net/tcp and tcp6). */
    private static java.util.Set<String> listening(int port) throws IOException {
        java.util.Set<String> addresses = new java.util.TreeSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file); // once: the table changes between two reads
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (f[3].equals("0A") && Integer.parseInt(local[1], 16) == port) {
                    addresses.add(address(local[0]));
                }
            }
        }
        return addresses;
    }

    /** A /proc/net address: IPv4 as 4 little-endian bytes in hex; IPv6 as 4 such words (an IPv4-mapped one as its IPv4). */
    private static String address(String hex) {
        if (hex.length() == 8) {
            long v = Long.parseLong(hex, 16);
            return (v & 0xff) + "." + (v >> 8 & 0xff) + "." + (v >> 16 & 0xff) + "." + (v >> 24 & 0xff);
        }
        if (hex.startsWith("0000000000000000FFFF0000")) {
            return address(hex.substring(24));
        }
        return hex.equals("00000000000000000000000000000000") ? "::" : "ipv6:" + hex;
    }

    private static int sent(Path oem) {
        try (CampaignDatabase db = CampaignDatabase.open(CampaignDatabase.defaultUrl(oem), Clock.systemUTC())) {
            return new OutboxQueue(db, Clock.systemUTC()).in(OutboxQueue.State.SENT).size();
        }
    }

    private static void awaitOutput(Process p, Path output, String line) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!Files.readString(output).contains(line)) {
            if (!p.isAlive() || System.nanoTime() > end) {
                throw new AssertionError("no '" + line + "' from the worker (alive " + p.isAlive() + "):\n"
                        + Files.readString(output));
            }
            Thread.sleep(100);
        }
    }

    private static void awaitCondition(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    private static String awaitOutputOf(java.util.function.Supplier<String> command, String text) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        String out = command.get();
        while (!out.contains(text)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no '" + text + "' in:\n" + out);
            }
            Thread.sleep(200);
            out = command.get();
        }
        return out;
    }

    private Result ok(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, CliEnv.system(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, r.code(), () -> String.join(" ", args) + " -> " + r);
        return r;
    }
}

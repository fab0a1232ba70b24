package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.testkit.PostgresServer;
import dev.wasmota.testkit.Repository;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs docs/DEPLOY.md itself, not a copy of it: its {@code sh} blocks tagged {@code step=NAME},
 * in order, each as {@code bash -e} in the checkout (the {@code settings} block first, as a reader
 * keeps one shell), those tagged {@code service} in the background until the end. The settings'
 * variables get this test's values (a temporary {@code WORK}, free ports); PostgreSQL is a cluster
 * of Debian's binaries in a temporary directory, and {@code sudo -u postgres} a stand-in that
 * connects as its superuser; Mosquitto runs with the configuration the document generates; every
 * party on TLS only, each its own OS process ({@code ./ota} on the built jar). Each step's outcome
 * is checked here, and the list of steps is fixed: a step added, removed or renamed in the
 * document fails this test until it is checked here too.
 */
class DeploymentIT {
    private static final String SERVING = "serving; stop with Ctrl-C";
    /** Services the document runs each in a terminal of its own once the broker is up: started at once, as a reader would. */
    private static final java.util.Set<String> START_TOGETHER = java.util.Set.of("oem-1", "oem-2", "veh-0001", "veh-0002");
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(240);
    /**
     * The steps' short commands (not the services) start on the JIT's first tier only: half the
     * CPU time of a command that ends in a second or two, which is most of this test's time.
     */
    private static final Map<String, String> QUICK_START = Map.of("OTA_JAVA_OPTS", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path dir;

    private final List<Service> services = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path work;
    private int mqttPort;
    private int metricsBase;

    /** A step run in the background: its process (bash, and the command under it) and its output file. */
    record Service(String step, Process process, Path output) {
        String out() {
            try {
                return Files.readString(output, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no output: " + e.getMessage() + ")";
            }
        }
    }

    @Test
    void theDeploymentDocumentRunsAsWrittenOnPostgresAndMosquittoOverTlsOnly() throws Exception {
        Path ota = Repository.file("ota-cli/target/ota-cli-0.1.0-SNAPSHOT.jar");
        assertTrue(Files.isRegularFile(ota), "the built jar ./ota runs (mvn package first): " + ota);
        List<DeployDocument.Block> blocks = DeployDocument.steps();
        assertEquals(DeployDocument.STEPS, blocks.stream().map(DeployDocument.Block::step).toList(),
                "the steps of docs/DEPLOY.md this test checks");
        long started = System.nanoTime();
        try (PostgresServer postgres = PostgresServer.start()) {
            prepare(postgres);
            String settings = blocks.get(0).body();
            List<Service> starting = new ArrayList<>();
            for (DeployDocument.Block b : blocks) {
                String script = b.step().equals("settings") ? settings : settings + "\n" + b.body();
                if (b.service()) {
                    starting.add(startService(b.step(), script));
                    if (!START_TOGETHER.contains(b.step())) {
                        checkServices(starting);
                    }
                } else {
                    checkServices(starting);
                    long t = System.nanoTime();
                    String out = run(b.step(), script);
                    checkStep(b.step(), out);
                    System.out.printf("DeploymentIT: step %s took %.1f s%n", b.step(), (System.nanoTime() - t) / 1e9);
                }
            }
            checkServices(starting);
            checkServicesStillRun();
            stopServices();
        } finally {
            stopServices();
        }
        System.out.printf("DeploymentIT: the document ran in %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    /** The settings' variables, a stand-in for {@code sudo -u postgres} on this test's cluster, and the jar as built. */
    private void prepare(PostgresServer postgres) throws IOException {
        work = dir.resolve("work");
        mqttPort = freePorts(0);
        do {
            metricsBase = freePorts(4);
        } while (mqttPort >= metricsBase && mqttPort <= metricsBase + 4);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path adminPass = dir.resolve("admin.pgpass");
        Files.writeString(adminPass, postgres.pgpassLine() + "\n");
        Files.setPosixFilePermissions(adminPass, PosixFilePermissions.fromString("rw-------"));
        Path sudo = bin.resolve("sudo");
        Files.writeString(sudo, """
                #!/bin/sh
                # DeploymentIT's stand-in: `sudo -u postgres CMD` connects CMD as the test cluster's superuser.
                [ "$1" = "-u" ] && [ "$2" = "postgres" ] || { echo "stand-in sudo: only -u postgres" >&2; exit 2; }
                shift 2
                export PGHOST=127.0.0.1 PGUSER=%s PGDATABASE=postgres PGPASSFILE='%s'
                exec "$@"
                """.formatted(PostgresServer.USER, adminPass));
        Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwx------"));
        env.put("WORK", work.toString());
        env.put("MQTT_PORT", Integer.toString(mqttPort));
        env.put("PGPORT", Integer.toString(postgres.port()));
        env.put("METRICS_BASE", Integer.toString(metricsBase));
        env.put("OTA_SKIP_BUILD", "1");
        env.put("PATH", bin + ":" + System.getenv("PATH"));
    }

    private void checkStep(String step, String out) throws Exception {
        switch (step) {
            case "settings", "worker-copy" -> { }
            case "database" -> assertTrue(out.contains("wasmota"), out);
            case "oem-keys" -> {
                for (String party : List.of("broker-tls", "oem-1-tls", "oem-2-tls")) {
                    assertTrue(Files.isRegularFile(work.resolve(party).resolve("key.pem")), party + ": " + out);
                }
            }
            case "provision" -> {
                assertTrue(out.contains("veh-0001") && out.contains("veh-0002"), out);
                for (String v : List.of("veh-0001", "veh-0002")) {
                    assertTrue(Files.isRegularFile(work.resolve(v).resolve("ecu.json")), out);
                    assertTrue(Files.isRegularFile(work.resolve(v).resolve("credential/cert.pem")), out);
                }
            }
            case "supplier-enroll" -> assertTrue(Files.isRegularFile(work.resolve("acme/tls/cert.pem")), out);
            case "mosquitto-config" -> {
                String conf = Files.readString(work.resolve("mosquitto/mosquitto.conf"));
                assertEquals(List.of("listener " + mqttPort + " 127.0.0.1"),
                        conf.lines().filter(l -> l.startsWith("listener ")).toList(), "TLS only: " + conf);
                assertTrue(conf.contains("require_certificate true"), conf);
            }
            case "supplier-submit" -> assertTrue(out.contains("accepted: release healthy@1.0.0"), out);
            case "campaign" -> assertTrue(out.contains("started campaign first-rollout: RUNNING"), out);
            case "watch" -> {
                assertTrue(out.contains("campaign first-rollout: COMPLETED"), out);
                assertTrue(out.contains("\"committed\":2,") && out.contains("\"state\":\"COMPLETED\""), out);
                for (String v : List.of("veh-0001", "veh-0002")) {
                    assertTrue(AuditLog.read(work.resolve(v).resolve("audit.log")).stream().map(AuditRecord::event)
                            .anyMatch(e -> e == AuditEvent.INSTALL_COMMITTED), v + " committed the release");
                }
            }
            case "verify" -> {
                assertTrue(out.contains("OEM audit trail intact"), out);
                assertEquals(2, out.lines().filter(l -> l.startsWith("audit log intact")).count(), out);
                assertTrue(out.contains("vehicle veh-0001's log") && out.contains("vehicle veh-0002's log"), out);
            }
            case "operations" -> {
                // the fleet gauges are counted every ota.metrics.refreshMillis (15 s), not at each
                // scrape: the step's sample may predate the campaign's end by up to that long
                String committed = "ota_fleet_vehicles{state=\"COMMITTED\"} 2.0";
                String metrics = out;
                for (long end = System.nanoTime() + Duration.ofSeconds(40).toNanos();
                        !metrics.contains(committed) && System.nanoTime() < end; ) {
                    Thread.sleep(500);
                    metrics = body(metricsBase + 1, "/metrics");
                }
                assertTrue(metrics.contains(committed), out + "\nlast scrape:\n" + metrics);
                for (int port = metricsBase + 1; port <= metricsBase + 4; port++) {
                    for (String path : List.of("/health", "/metrics")) {
                        assertEquals(200, get(port, path), "GET " + path + " on :" + port);
                    }
                }
            }
            default -> fail("docs/DEPLOY.md step " + step + " has no check here");
        }
    }

    /** Waits until every service just started is ready and checks it. */
    private void checkServices(List<Service> starting) throws Exception {
        for (Service s : starting) {
            checkService(s);
        }
        starting.clear();
    }

    private void checkService(Service s) throws Exception {
        switch (s.step()) {
            case "broker" -> await(s, () -> accepting(mqttPort));
            case "oem-1", "oem-2" -> await(s, () -> s.out().contains(SERVING));
            case "veh-0001", "veh-0002" -> {
                await(s, () -> s.out().contains(SERVING));
                assertTrue(s.out().contains("vehicle " + s.step() + " (hardware ecu-a) on ssl://127.0.0.1:" + mqttPort
                        + ": no modules installed"), s.out());
            }
            default -> fail("docs/DEPLOY.md service " + s.step() + " has no check here");
        }
    }

    /** Runs a step to its end; it must exit 0. */
    private String run(String step, String script) throws Exception {
        Path output = dir.resolve(step + ".out");
        Process p = bash(script, output, QUICK_START);
        if (!p.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            destroyTree(p);
            fail("step " + step + " did not end within " + STEP_TIMEOUT + ": " + Files.readString(output) + servicesOutput());
        }
        String out = Files.readString(output);
        assertEquals(0, p.exitValue(), () -> "step " + step + " failed:\n" + out + servicesOutput());
        return out;
    }

    private Service startService(String step, String script) throws IOException {
        Path output = dir.resolve(step + ".out");
        Service s = new Service(step, bash(script, output, Map.of()), output);
        services.add(s);
        return s;
    }

    private Process bash(String script, Path output, Map<String, String> more) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", "-c", script).directory(Repository.root().toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().putAll(env);
        pb.environment().putAll(more);
        return pb.start();
    }

    private void await(Service s, BooleanSupplier ready) throws InterruptedException {
        long end = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (!ready.getAsBoolean()) {
            if (!s.process().isAlive() || System.nanoTime() > end) {
                fail("service " + s.step() + " did not start: " + s.out() + servicesOutput());
            }
            Thread.sleep(100);
        }
    }

    private void checkServicesStillRun() {
        for (Service s : services) {
            assertTrue(s.process().isAlive(), () -> "service " + s.step() + " stopped before the end: " + s.out());
        }
    }

    /** SIGTERM to every service (the command under bash first), as an operator's Ctrl-C or systemd's stop. */
    private void stopServices() throws InterruptedException {
        for (int i = services.size() - 1; i >= 0; i--) {
            destroyTree(services.get(i).process());
        }
        services.clear();
    }

    private static void destroyTree(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (p.descendants().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < end) {
            Thread.sleep(100);
        }
    }

    private String servicesOutput() {
        StringBuilder b = new StringBuilder();
        for (Service s : services) {
            b.append("\n--- ").append(s.step()).append(" ---\n").append(s.out());
        }
        return b.toString();
    }

    private static String body(int port, String path) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int get(int port, String path) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static boolean accepting(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The first of {@code count + 1} consecutive ports free now, below the kernel's ephemeral range:
     * the services bind them a minute later, and by then a port of that range may be the local end
     * of some connection (this machine's clients, PostgreSQL's, the other tests').
     */
    private static int freePorts(int count) throws IOException {
        int ephemeralStart = 32_768;
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        if (Files.isReadable(range)) {
            ephemeralStart = Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
        }
        java.util.Random random = new java.util.Random();
        int low = 20_000;
        int high = Math.max(low + 1_000, ephemeralStart) - count - 1;
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = low + random.nextInt(high - low);
            boolean free = true;
            for (int port = base; port <= base + count && free; port++) {
                try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    free = true;
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no " + (count + 1) + " consecutive free ports below " + ephemeralStart);
    }
}

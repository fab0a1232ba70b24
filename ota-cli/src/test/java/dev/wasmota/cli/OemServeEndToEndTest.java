package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.EmbeddedBroker;
import dev.wasmota.cli.EcuCli.Result;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.protocol.tls.TlsMaterial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline through the command line, on a broker the test starts: {@code ota oem serve} and
 * {@code ota ecu serve} each in a background thread, {@code ota supplier submit} of a
 * supplier-signed package and the intake's answer, the meters on {@code /metrics}, and each serve
 * stopping cleanly when its thread is interrupted.
 */
class OemServeEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void submittedPackageIsAcceptedByServeAndCountedOnMetrics() throws Exception {
        EcuCli cli = new EcuCli(dir);
        Path pkg = cli.write(cli.supplierSigned("healthy_v1.wasm", EcuCli.spec("healthy", "1.0.0", EcuCli.HEALTHY_CAPS)),
                "healthy-signed.wotapkg");
        try (EmbeddedBroker broker = broker()) {
            Serving serve = Serving.start("oem", "serve", "--oem", dir.resolve("oem").toString(), "--broker", broker.url(),
                    "--worker", "w1", "--metrics-port", "0");
            try {
                assertTrue(serve.banner.contains("OEM worker w1"), serve.banner);

                Result submitted = cli.ota(Clock.systemUTC(), "supplier", "submit", "--package", pkg.toString(),
                        "--broker", broker.url(), "--timeout", "60s");
                assertEquals(0, submitted.code(), submitted::toString);
                assertTrue(submitted.out().contains("accepted: release healthy@1.0.0"), submitted.out());
                List<dev.wasmota.audit.AuditRecord> trail = dev.wasmota.cli.oem.OemTrail.records(dir.resolve("oem"));
                assertTrue(trail.stream().anyMatch(r -> r.event() == dev.wasmota.audit.AuditEvent.INTAKE_ACCEPTED
                        && "oem-serve:w1".equals(r.actor())), "worker w1 recorded the intake in the OEM's trail");

                String body = serve.scrape();
                assertTrue(Pattern.compile("(?m)^camel_exchanges_total\\{[^}]*routeId=\"oem-intake\"[^}]*} 1(\\.0)?$")
                        .matcher(body).find(), () -> "one intake exchange counted:\n" + body);
                assertTrue(body.contains("jvm_memory_used_bytes"), "JVM meters bound");
            } finally {
                serve.stop();
            }
            assertTrue(serve.out().contains("OEM worker w1 stopping"), serve.out());
        }
    }

    @Test
    void servesTheManagementApiAndTheConsoleBesideTheWorker() throws Exception {
        EcuCli cli = new EcuCli(dir);
        String oem = dir.resolve("oem").toString();
        assertEquals(0, cli.ota("oem", "issue", "broker", "--ip", "127.0.0.1", "--oem", oem, "--out",
                dir.resolve("api-tls").toString()).code());
        Result issued = cli.ota("oem", "issue", "operator", "--name", "alice", "--oem", oem, "--out", dir.resolve("alice").toString());
        assertEquals(0, issued.code(), issued::toString);
        assertTrue(issued.out().contains("issued operator/alice"), issued.out());
        try (EmbeddedBroker broker = broker()) {
            Serving serve = Serving.start("oem", "serve", "--oem", oem, "--broker", broker.url(), "--worker", "w1",
                    "--metrics-port", "0", "--api", "127.0.0.1:0", "--api-tls", dir.resolve("api-tls").toString(),
                    "--console", "127.0.0.1:0", "--console-user", "operator/alice");
            try {
                java.util.regex.Matcher api = java.util.regex.Pattern.compile("management API at (https://\\S+)/api/v1/")
                        .matcher(serve.banner);
                assertTrue(api.find(), serve.banner);
                java.util.regex.Matcher link = java.util.regex.Pattern.compile("sign-in link for operator/alice: (\\S+)")
                        .matcher(serve.banner);
                assertTrue(link.find(), serve.banner);
                Result status = cli.ota(Clock.systemUTC(), "oem", "campaign", "status", "--api", api.group(1), "--tls",
                        dir.resolve("alice").toString(), "--campaign", "none");
                assertEquals(4, status.code(), status::toString);
                assertTrue(status.err().startsWith("rejected (UNKNOWN_CAMPAIGN)"), status.err());
                assertEquals(303, java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(link.group(1))).build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                        .statusCode());
            } finally {
                serve.stop();
            }
        }
    }

    @Test
    void retireEndsAStoppedWorkersSessionsAndExits() throws Exception {
        EcuCli cli = new EcuCli(dir);
        try (EmbeddedBroker broker = broker()) {
            Serving w2 = Serving.start("oem", "serve", "--oem", dir.resolve("oem").toString(), "--broker", broker.url(),
                    "--worker", "w2", "--metrics-port", "0");
            w2.stop();

            Result retired = cli.ota(Clock.systemUTC(), "oem", "serve", "--oem", dir.resolve("oem").toString(), "--broker",
                    broker.url(), "--worker", "w2", "--retire");
            assertEquals(0, retired.code(), retired::toString);
            assertTrue(retired.out().contains("retired OEM worker w2: 0 queued messages handled, 0 outbox claims put back, "
                    + "sessions ended"), retired.out());
            List<dev.wasmota.audit.AuditRecord> log = dev.wasmota.cli.oem.OemTrail.records(dir.resolve("oem"));
            assertEquals(dev.wasmota.audit.AuditEvent.OEM_WORKER_RETIRED, log.get(log.size() - 1).event());
            assertEquals("oem-serve:w2", log.get(log.size() - 1).actor());
        }
    }

    @Test
    void ecuServeRunsTheInstalledModulesOnThePipeline() throws Exception {
        EcuCli cli = new EcuCli(dir);
        Path state = dir.resolve("veh-1");
        Result installed = cli.ota("ecu", "install", "--state", state.toString(), "--trust", cli.trust.toString(),
                "--hardware-id", "ecu-a", "--vehicle-id", "veh-1", "--package", cli.healthy(1).toString());
        assertEquals(0, installed.code(), installed::toString);
        Path tls = dir.resolve("veh-1-tls");
        TlsMaterial.of(cli.fx.oem.issueClient(ClientKind.VEHICLE, "veh-1"), List.of(), cli.fx.oem.root().cert()).writePem(tls);
        try (EmbeddedBroker broker = broker()) {
            Serving serve = Serving.start("ecu", "serve", "--state", state.toString(), "--trust", cli.trust.toString(),
                    "--tls", tls.toString(), "--broker", broker.url(), "--metrics-port", "0");
            try {
                assertTrue(serve.banner.contains("vehicle veh-1 (hardware ecu-a)"), serve.banner);
                assertTrue(serve.banner.contains("1 module(s) running"), serve.banner);
                String body = serve.scrape();
                assertTrue(body.contains("camelContext=\"vehicle-veh-1\""), () -> "the vehicle's routes are metered:\n" + body);
                serve.awaitMeter("ecu_module_call_seconds_count{module=\"healthy\"");
            } finally {
                serve.stop();
            }
            assertTrue(serve.out().contains("vehicle veh-1 stopping"), serve.out());
        }
    }

    private EmbeddedBroker broker() throws IOException {
        return EmbeddedBroker.start(BrokerSettings.builder(Files.createDirectories(dir.resolve("broker")))
                .port(0).maxMessageBytes(10 * 1024 * 1024).build());
    }
}

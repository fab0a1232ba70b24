package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.EmbeddedBroker;
import dev.wasmota.cli.EcuCli.Result;
import dev.wasmota.protocol.tls.TlsMaterial;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.transport.HeldMessagesClient;
import dev.wasmota.transport.MqttClients;
import dev.wasmota.transport.MqttSettings;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real flow through the command line while {@code ota oem serve} and {@code ota ecu serve} run:
 * a supplier submits, an operator registers the vehicle and runs a campaign with commands, the
 * vehicle commits, someone sends garbage as a status report. Each serve prints a line for each of
 * these (intake, dispatch, status, refusal), counts them on {@code /metrics} (the label values
 * known in advance registered at zero), and answers {@code /health} and {@code /ready}.
 */
class ServeEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TIME = Pattern.compile("(?m)^\\d\\d:\\d\\d:\\d\\d ");

    @TempDir
    Path dir;

    @Test
    void bothServesPrintTheFlowAsItHappensAndMeterIt() throws Exception {
        EcuCli cli = new EcuCli(dir);
        String oem = dir.resolve("oem").toString();
        Path v2 = cli.write(cli.supplierSigned("healthy_v2.wasm", EcuCli.spec("healthy", "2.0.0", EcuCli.HEALTHY_CAPS)),
                "healthy-2.0.0-signed.wotapkg");
        Path state = dir.resolve("veh-1");
        ok(cli, "ecu", "install", "--state", state.toString(), "--trust", cli.trust.toString(), "--hardware-id", "ecu-a",
                "--vehicle-id", "veh-1", "--package", cli.healthy(1).toString());
        Path tls = dir.resolve("veh-1-tls");
        TlsMaterial.of(cli.fx.oem.issueClient(ClientKind.VEHICLE, "veh-1"), List.of(), cli.fx.oem.root().cert()).writePem(tls);
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.builder(Files.createDirectories(dir.resolve("broker")))
                .port(0).maxMessageBytes(10 * 1024 * 1024).build())) {
            Serving oemServe = Serving.start("oem", "serve", "--oem", oem, "--broker", broker.url(), "--worker", "w1",
                    "--metrics-port", "0", "--set", "ota.metrics.refreshMillis=100");
            Serving vehicle = null;
            try {
                String zeros = oemServe.scrape();
                for (String series : List.of("ota_intake_results_total{outcome=\"refused\"} 0.0",
                        "ota_status_reports_total{repeated=\"true\",result=\"ROLLED_BACK\"} 0.0",
                        "ota_dead_letters_total{reason=\"WRONG_SENDER\",route=\"oem-status\"} 0.0",
                        "ota_dead_letters_total{reason=\"STATUS_CONFLICT\",route=\"oem-status\"} 0.0",
                        "ota_campaign_actions{status=\"INSTRUCTED\"} 0.0", "ota_campaigns{state=\"RUNNING\"} 0.0",
                        "ota_fleet_vehicles_seen{within=\"never\"} 0.0", "ota_dispatch_sent_total{kind=\"instruction\"} 0.0",
                        "ota_audit_log_contradictions_total{kind=\"AUDIT_SEQ_WENT_BACK\"} 0.0")) {
                    assertTrue(zeros.contains(series), () -> series + " registered at zero before anything happened:\n" + zeros);
                }
                ok(cli, "oem", "vehicle", "register", "--oem", oem, "--id", "veh-1", "--hardware", "ecu-a");
                Result submitted = cli.ota(Clock.systemUTC(), "supplier", "submit", "--package", v2.toString(), "--broker",
                        broker.url(), "--timeout", "60s");
                assertEquals(0, submitted.code(), submitted::toString);
                vehicle = Serving.start("ecu", "serve", "--state", state.toString(), "--trust", cli.trust.toString(), "--tls",
                        tls.toString(), "--broker", broker.url(), "--metrics-port", "0");
                ok(cli, "oem", "campaign", "create", "--oem", oem, "--release", "healthy@2.0.0", "--vehicles", "veh-1",
                        "--waves", "1", "--id", "c1");
                ok(cli, "oem", "campaign", "start", "--oem", oem, "--campaign", "c1");

                oemServe.awaitOutput("status veh-1 COMMITTED healthy 2.0.0 (campaign c1 COMPLETED, instruction ");
                HeldMessagesClient probe = MqttClients.connect(MqttSettings.of(broker.url()), "probe", false);
                try {
                    probe.publish("ota/vehicle/veh-9/status", new MqttMessage("not a status report".getBytes(StandardCharsets.UTF_8)));
                } finally {
                    MqttClients.closeQuietly(probe);
                }
                String out = oemServe.awaitOutput("refused status from veh-9: MALFORMED_MESSAGE: malformed WOTS message");

                assertTrue(out.contains(" intake acme/healthy 2.0.0 accepted (release healthy@2.0.0)\n"), out);
                assertTrue(Pattern.compile("(?m)^\\d\\d:\\d\\d:\\d\\d dispatch campaign c1: veh-1 instruction \\S+ \\(healthy, "
                        + "counter 1, expires ").matcher(out).find(), out);
                String events = out.substring(out.indexOf("serving; stop with Ctrl-C") + 26);
                assertEquals(events.lines().count(), TIME.matcher(events).results().count(), "every event line has its time:\n"
                        + events);
                String vehicleOut = vehicle.awaitOutput("update c1/");
                assertTrue(Pattern.compile("update c1/\\S+ healthy: COMMITTED 2\\.0\\.0 \\(committed 2\\.0\\.0 in slot ")
                        .matcher(vehicleOut).find(), vehicleOut);

                String metrics = oemServe.awaitMeter("ota_fleet_vehicles{state=\"COMMITTED\"} 1.0");
                for (String series : List.of("ota_intake_results_total{outcome=\"accepted\"} 1.0",
                        "ota_status_reports_total{repeated=\"false\",result=\"COMMITTED\"} 1.0",
                        "ota_dead_letters_total{reason=\"MALFORMED_MESSAGE\",route=\"oem-status\"} 1.0",
                        "ota_dispatch_sent_total{kind=\"instruction\"} 1.0", "ota_campaigns{state=\"COMPLETED\"} 1.0",
                        "ota_fleet_vehicles_seen{within=\"1h\"} 1.0")) {
                    assertTrue(metrics.contains(series), () -> series + " on /metrics:\n" + metrics);
                }
                for (Serving s : List.of(oemServe, vehicle)) {
                    assertEquals(200, s.get("/health").statusCode());
                    HttpResponse<String> ready = s.get("/ready");
                    assertEquals(200, ready.statusCode(), ready.body());
                    assertTrue(ready.body().contains("ok   broker: connected"), ready.body());
                    assertTrue(ready.body().contains("ok   routes: "), ready.body());
                }
                assertTrue(oemServe.get("/ready").body().contains("ok   database: reachable"));

                JsonNode status = JSON.readTree(ok(cli, "oem", "campaign", "status", "--oem", oem, "--campaign", "c1", "--json").out());
                assertEquals("COMPLETED", status.path("state").asText());
                assertEquals(1, status.path("total").path("committed").asInt());
            } finally {
                if (vehicle != null) {
                    vehicle.stop();
                }
                oemServe.stop();
            }
        }
    }

    private static Result ok(EcuCli cli, String... args) {
        Result r = cli.ota(Clock.systemUTC(), args);
        assertEquals(0, r.code(), () -> String.join(" ", args) + " -> " + r);
        return r;
    }
}

package dev.wasmota.routes.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.campaign.CampaignFailure;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.campaign.TestDatabase;
import dev.wasmota.oem.record.CampaignNotices;
import dev.wasmota.oem.rxswin.ReportedConfiguration;
import dev.wasmota.protocol.Topics;
import dev.wasmota.protocol.wire.NoticeShown;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.protocol.wire.VehicleConfiguration;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.Credential;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The status route keeps what a verified, signed report states of the vehicle's configuration
 * (its RXSWIN, modules) and of the instruction's user notice (issue 17) in the transaction that
 * counts the report, inside the report's savepoint: a report of a full vehicle costs one commit,
 * and a report the campaign refuses (a replayed nonce, a contradicting answer) leaves neither
 * configuration nor notice, alone or in a group-committed batch beside accepted ones.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class StatusConfigurationRouteTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    CampaignKit kit;
    List<String> vehicles;
    final Topics topics = new Topics("fleet");
    final Map<String, Credential> creds = new TreeMap<>();
    StatusHandler handler;
    Instruction i;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir, database);
        vehicles = kit.vehicles(3);
        kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "100%").advanceAt(100).build()).id());
        vehicles.forEach(v -> creds.put(v, kit.fx.oem.issueClient(ClientKind.VEHICLE, v)));
        handler = new StatusHandler(kit.service, kit.fx.oem::trustStore, topics, kit.clock, e -> { },
                new OemMeters(new SimpleMeterRegistry()));
        i = kit.outbox.lastTo("veh-1").instruction();
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    /** A full vehicle's signed report: its configuration on {@code rxswin} and the notice it showed. */
    private byte[] signed(String vehicle, String nonce, StatusReport.Result result, String rxswin) {
        Instruction to = kit.outbox.lastTo(vehicle).instruction();
        TreeMap<String, VehicleConfiguration.Module> m = new TreeMap<>();
        m.put("healthy", new VehicleConfiguration.Module("2.0.0", to.packageSha256()));
        StatusReport r = new StatusReport(vehicle, to.campaignId(), to.instructionId(), nonce, result,
                "", "reported", to.moduleId(), "2.0.0", to.packageSha256(), 3, "a".repeat(64), kit.clock.instant())
                .withConfiguration(Optional.of(new VehicleConfiguration(Optional.of(rxswin), m)))
                .withNotice(Optional.of(new NoticeShown(kit.clock.instant().minusSeconds(30),
                        "Update done: healthy 2.0.0 is active")));
        return SignedStatus.sign(r, creds.get(vehicle));
    }

    private void report(String nonce) {
        Exchange ex = new DefaultExchange(new DefaultCamelContext());
        ex.getIn().setHeader(PahoMqtt5Constants.MQTT_TOPIC, topics.status("veh-1"));
        ex.getIn().setBody(signed("veh-1", nonce, StatusReport.Result.COMMITTED, "R-A2"));
        handler.handle(ex);
    }

    private Optional<String> rxswin(String vehicle) {
        return kit.service.rxswin().configuration(vehicle).flatMap(ReportedConfiguration::rxswin);
    }

    @Test
    void keepsTheConfigurationAndTheNoticeOfAnAcceptedReport() {
        report(i.nonce());

        ReportedConfiguration c = kit.service.rxswin().configuration("veh-1").orElseThrow();
        assertEquals(Optional.of("R-A2"), c.rxswin());
        assertEquals("2.0.0", c.modules().get("healthy").version());
        Map<String, List<CampaignNotices.Reported>> shown = kit.service.notices().reported(i.campaignId());
        assertEquals("Update done: healthy 2.0.0 is active", shown.get("veh-1").get(0).outcome());
        assertEquals(kit.clock.instant().minusSeconds(30), shown.get("veh-1").get(0).shownAt());
    }

    @Test
    void aReportOfAFullVehicleCostsOneCommit() {
        long before = kit.db.commits();

        report(i.nonce());

        assertEquals(before + 1, kit.db.commits(), "the report, its configuration and its notice in one transaction");
        assertEquals(Optional.of("R-A2"), rxswin("veh-1"));
    }

    @Test
    void aReportTheCampaignRefusesLeavesNoConfigurationAndNoNotice() {
        assertThrows(RejectedException.class, () -> report("f".repeat(32)));

        assertTrue(kit.service.notices().reported(i.campaignId()).isEmpty());
        assertEquals(Optional.empty(), kit.service.rxswin().configuration("veh-1"));
    }

    @Test
    void aBatchKeepsTheAcceptedReportsStatementsAndNoneOfTheRefusedOnes() throws Exception {
        StatusBatcher batcher = new StatusBatcher(handler, kit.service, 256);
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:status").routeId("status").process(batcher);
            }
        });
        camel.start();
        try {
            ProducerTemplate template = camel.createProducerTemplate();
            String nonce2 = kit.outbox.lastTo("veh-2").instruction().nonce();
            HeldDatabase held = HeldDatabase.hold(kit.db);
            List<CompletableFuture<Exchange>> sent = new ArrayList<>();
            sent.add(send(template, "veh-1", signed("veh-1", i.nonce(), StatusReport.Result.COMMITTED, "R-A2")));
            sent.add(send(template, "veh-2", signed("veh-2", "00" + nonce2.substring(2), StatusReport.Result.COMMITTED,
                    "R-REPLAYED")));
            sent.add(send(template, "veh-3", signed("veh-3", kit.outbox.lastTo("veh-3").instruction().nonce(),
                    StatusReport.Result.COMMITTED, "R-A3")));
            Thread.sleep(300); // every report verified and waiting for the database
            held.close();

            List<Exchange> done = new ArrayList<>();
            for (CompletableFuture<Exchange> f : sent) {
                done.add(f.get(20, TimeUnit.SECONDS));
            }
            assertNull(done.get(0).getException());
            assertEquals(CampaignFailure.WRONG_NONCE, assertInstanceOf(RejectedException.class,
                    done.get(1).getException()).reason());
            assertNull(done.get(2).getException());
            assertEquals(Optional.of("R-A2"), rxswin("veh-1"));
            assertEquals(Optional.empty(), rxswin("veh-2"), "the refused report's configuration is not kept");
            assertEquals(Optional.of("R-A3"), rxswin("veh-3"));
            assertEquals(List.of("veh-1", "veh-3"), List.copyOf(kit.service.notices().reported(i.campaignId()).keySet()),
                    "the refused report's notice is not kept");
        } finally {
            camel.stop();
        }
    }

    private CompletableFuture<Exchange> send(ProducerTemplate template, String vehicle, byte[] body) {
        return template.asyncSend("direct:status", x -> {
            x.getIn().setHeader(PahoMqtt5Constants.MQTT_TOPIC, topics.status(vehicle));
            x.getIn().setBody(body);
        });
    }
}

package dev.wasmota.routes.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.audit.OemCheckpoints;
import dev.wasmota.oem.campaign.CampaignFailure;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.protocol.Topics;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.Credential;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status route's group commit: reports that wait while the database is busy are taken in by
 * one transaction (one checkpoint), each verified alone; one with a forged signature and one with
 * the wrong nonce fail alone, the others are counted; no exchange completes (so nothing is
 * acknowledged) before the transaction committed.
 */
class StatusBatcherTest {
    @TempDir
    Path dir;

    CampaignKit kit;
    CamelContext camel;
    ProducerTemplate template;
    final Topics topics = new Topics("fleet");
    final List<String> vehicles = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        kit = new CampaignKit(dir);
        vehicles.addAll(kit.vehicles(5));
        kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "100%").advanceAt(100).build()).id());
        StatusHandler handler = new StatusHandler(kit.service, kit.fx.oem::trustStore, topics, kit.clock, e -> { },
                new OemMeters(new SimpleMeterRegistry()));
        StatusBatcher batcher = new StatusBatcher(handler, kit.service, 256);
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:status").routeId("status").process(batcher);
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void tearDown() {
        camel.stop();
        kit.close();
    }

    private byte[] signed(String vehicle, String nonce, Credential signer) {
        Instruction i = kit.outbox.lastTo(vehicle).instruction();
        StatusReport r = new StatusReport(vehicle, i.campaignId(), i.instructionId(), nonce, StatusReport.Result.COMMITTED,
                "", "committed", i.moduleId(), "2.0.0", i.packageSha256(), 1, "a".repeat(64), kit.clock.instant(), 0, "");
        return SignedStatus.sign(r, signer);
    }

    private CompletableFuture<Exchange> send(String vehicle, byte[] body) {
        return template.asyncSend("direct:status", x -> {
            x.getIn().setHeader(PahoMqtt5Constants.MQTT_TOPIC, topics.status(vehicle));
            x.getIn().setBody(body);
        });
    }

    @Test
    void reportsWaitingAreTakenInByOneTransactionAndABadOneFailsAlone() throws Exception {
        Credential[] creds = new Credential[5];
        for (int v = 0; v < 5; v++) {
            creds[v] = kit.fx.oem.issueClient(ClientKind.VEHICLE, vehicles.get(v));
        }
        int checkpoints = OemCheckpoints.all(kit.db).size();
        String nonce3 = kit.outbox.lastTo(vehicles.get(2)).instruction().nonce();
        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        HeldDatabase held = HeldDatabase.hold(kit.db);
        sent.add(send(vehicles.get(0), signed(vehicles.get(0), kit.outbox.lastTo(vehicles.get(0)).instruction().nonce(), creds[0])));
        Thread.sleep(200); // the first is taken alone and waits for the database; the others queue behind it
        sent.add(send(vehicles.get(1), signed(vehicles.get(1), kit.outbox.lastTo(vehicles.get(1)).instruction().nonce(), creds[1])));
        sent.add(send(vehicles.get(2), signed(vehicles.get(2), "00" + nonce3.substring(2), creds[2])));
        sent.add(send(vehicles.get(3), signed(vehicles.get(3), kit.outbox.lastTo(vehicles.get(3)).instruction().nonce(), creds[4])));
        sent.add(send(vehicles.get(4), signed(vehicles.get(4), kit.outbox.lastTo(vehicles.get(4)).instruction().nonce(), creds[4])));
        Thread.sleep(300);
        for (CompletableFuture<Exchange> f : sent) {
            assertTrue(!f.isDone(), "nothing completes before the database committed");
        }
        held.close();

        List<Exchange> done = new ArrayList<>();
        for (CompletableFuture<Exchange> f : sent) {
            done.add(f.get(20, TimeUnit.SECONDS));
        }
        assertNull(done.get(0).getException());
        assertNull(done.get(1).getException());
        assertEquals(CampaignFailure.WRONG_NONCE, assertInstanceOf(RejectedException.class, done.get(2).getException()).reason());
        assertEquals(RouteFailure.WRONG_SENDER, assertInstanceOf(RejectedException.class, done.get(3).getException()).reason(),
                "vehicle 5's certificate on vehicle 4's report");
        assertNull(done.get(4).getException());
        assertTrue(done.get(1).getIn().getBody(String.class).contains("COMMITTED"));
        assertEquals(3, kit.service.status(kit.service.list().get(0).id()).total().committed());
        assertEquals(checkpoints + 2, OemCheckpoints.all(kit.db).size(),
                "one transaction for the first report, one for the four that waited behind it");
    }
}

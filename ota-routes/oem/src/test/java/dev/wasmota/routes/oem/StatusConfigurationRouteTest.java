package dev.wasmota.routes.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.campaign.CampaignKit;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status route keeps what a verified, signed report states of the vehicle's configuration
 * (its RXSWIN, modules) and of the instruction's user notice (issue 17); a notice on a report the
 * campaign refuses is not kept.
 */
class StatusConfigurationRouteTest {
    @TempDir
    Path dir;

    CampaignKit kit;
    Credential veh1;
    final Topics topics = new Topics("fleet");
    StatusHandler handler;
    Instruction i;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir);
        kit.service.start(kit.service.create(kit.spec(kit.v2, kit.vehicles(1), "100%").build()).id());
        veh1 = kit.fx.oem.issueClient(ClientKind.VEHICLE, "veh-1");
        handler = new StatusHandler(kit.service, kit.fx.oem::trustStore, topics, kit.clock, e -> { },
                new OemMeters(new SimpleMeterRegistry()));
        i = kit.outbox.lastTo("veh-1").instruction();
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    private void report(String nonce) {
        TreeMap<String, VehicleConfiguration.Module> m = new TreeMap<>();
        m.put("healthy", new VehicleConfiguration.Module("2.0.0", i.packageSha256()));
        StatusReport r = new StatusReport("veh-1", i.campaignId(), i.instructionId(), nonce, StatusReport.Result.COMMITTED,
                "", "committed", i.moduleId(), "2.0.0", i.packageSha256(), 3, "a".repeat(64), kit.clock.instant())
                .withConfiguration(Optional.of(new VehicleConfiguration(Optional.of("R-A2"), m)))
                .withNotice(Optional.of(new NoticeShown(kit.clock.instant().minusSeconds(30),
                        "Update done: healthy 2.0.0 is active")));
        Exchange ex = new DefaultExchange(new DefaultCamelContext());
        ex.getIn().setHeader(PahoMqtt5Constants.MQTT_TOPIC, topics.status("veh-1"));
        ex.getIn().setBody(SignedStatus.sign(r, veh1));
        handler.handle(ex);
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
    void aReportTheCampaignRefusesLeavesNoNotice() {
        assertThrows(RejectedException.class, () -> report("f".repeat(32)));

        assertTrue(kit.service.notices().reported(i.campaignId()).isEmpty());
    }
}

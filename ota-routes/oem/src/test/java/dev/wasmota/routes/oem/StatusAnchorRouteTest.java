package dev.wasmota.routes.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.audit.VehicleAnchors;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.campaign.IssuedInstruction;
import dev.wasmota.protocol.Topics;
import dev.wasmota.protocol.wire.SignedStatus;
import dev.wasmota.protocol.wire.StatusReport;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.Credential;
import dev.wasmota.transport.ServiceEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status route keeps the audit-log head of each signed report as an anchor and checks it
 * against those before: a report whose head contradicts them is a security event in the trail,
 * counted and told, and the report still counts for its campaign.
 */
class StatusAnchorRouteTest {
    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);

    @TempDir
    Path dir;

    CampaignKit kit;
    Credential veh1;
    final Topics topics = new Topics("fleet");
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<ServiceEvent> events = new ArrayList<>();
    StatusHandler handler;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir);
        kit.service.start(kit.service.create(kit.spec(kit.v2, kit.vehicles(1), "100%").build()).id());
        veh1 = kit.fx.oem.issueClient(ClientKind.VEHICLE, "veh-1");
        handler = new StatusHandler(kit.service, kit.fx.oem::trustStore, topics, kit.clock, events::add,
                new OemMeters(registry));
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    private void report(Instruction i, long seq, String head, long prevSeq, String prevHash, Instant at) {
        StatusReport r = new StatusReport("veh-1", i.campaignId(), i.instructionId(), i.nonce(), StatusReport.Result.COMMITTED,
                "", "committed", i.moduleId(), "2.0.0", i.packageSha256(), seq, head, at, prevSeq, prevHash);
        Exchange ex = new DefaultExchange(new DefaultCamelContext());
        ex.getIn().setHeader(PahoMqtt5Constants.MQTT_TOPIC, topics.status("veh-1"));
        ex.getIn().setBody(SignedStatus.sign(r, veh1));
        handler.handle(ex);
    }

    private double contradictions(String kind) {
        return registry.get(OemMeters.LOG_CONTRADICTIONS).tag("kind", kind).counter().count();
    }

    @Test
    void aReportWhoseLogWentBackIsASecurityEventCountedAndToldAndStillCounted() {
        IssuedInstruction issued = kit.outbox.lastTo("veh-1");
        Instruction i = issued.instruction();
        report(i, 37, A, 0, "", kit.clock.instant());
        assertEquals(Action.Status.COMMITTED, kit.service.actions(i.campaignId()).get(0).status());
        assertEquals(0.0, contradictions("AUDIT_SEQ_WENT_BACK"));

        report(i, 5, B, 0, "", kit.clock.instant().plusSeconds(60));

        assertEquals(1.0, contradictions("AUDIT_SEQ_WENT_BACK"));
        List<AuditRecord> security = kit.audit.records(AuditEvent.SECURITY_EVENT);
        assertEquals(1, security.size());
        assertEquals("AUDIT_SEQ_WENT_BACK", security.get(0).cause());
        assertTrue(security.get(0).detail().startsWith("vehicle veh-1: "), security.get(0).detail());
        assertTrue(events.stream().anyMatch(e -> e.kind() == ServiceEvent.Kind.REFUSED
                && e.text().startsWith("SECURITY_EVENT AUDIT_SEQ_WENT_BACK vehicle veh-1")), events.toString());
        List<VehicleAnchors.Anchor> anchors = kit.service.anchors().anchors("veh-1");
        assertEquals(List.of(VehicleAnchors.Verdict.CONSISTENT, VehicleAnchors.Verdict.AUDIT_SEQ_WENT_BACK),
                anchors.stream().map(VehicleAnchors.Anchor::verdict).toList());
    }

    @Test
    void aContinuationProofThatDoesNotMatchTheAnchorIsASecurityEvent() {
        Instruction i = kit.outbox.lastTo("veh-1").instruction();
        report(i, 37, A, 0, "", kit.clock.instant());
        report(i, 41, B, 37, "c".repeat(64), kit.clock.instant().plusSeconds(60));
        assertEquals(1.0, contradictions("AUDIT_CHAIN_REWRITTEN"));
        assertEquals("AUDIT_CHAIN_REWRITTEN", kit.audit.records(AuditEvent.SECURITY_EVENT).get(0).cause());
    }
}

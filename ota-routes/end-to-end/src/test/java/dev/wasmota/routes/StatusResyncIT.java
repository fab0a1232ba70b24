package dev.wasmota.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerKind;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.release.Release;
import dev.wasmota.routes.oem.OemNode;
import dev.wasmota.routes.oem.OutboxDispatcher;
import dev.wasmota.routes.vehicle.SentStatuses;
import dev.wasmota.routes.vehicle.VehicleNode;
import dev.wasmota.signing.pki.Revocation;
import dev.wasmota.transport.ServiceEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A status report the OEM did not count, for a cause fixed later, is counted once the cause is
 * fixed, without anyone answering by hand: a report sent while no OEM worker listened (lost at
 * the broker) comes again when a worker is back and asks for it; a report refused because the
 * vehicle's certificate was revoked comes again, under its new certificate, when the vehicle
 * starts with it. Before, both campaigns waited for the instruction's expiry (24 h by default).
 */
class StatusResyncIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Brokers BROKERS = new Brokers();
    /** Ask about an instruction after 0.5 s unanswered, look every 0.3 s; a vehicle sends a report again after 0.2 s. */
    private static final Map<String, String> QUICK = Map.of("ota.status.resyncMillis", "300", "ota.status.resyncAfterMillis",
            "500", "ota.vehicle.resendMillis", "200");

    @TempDir
    Path dir;

    @AfterAll
    static void stopBrokers() {
        BROKERS.close();
    }

    static Broker broker(BrokerKind kind) throws IOException {
        return BROKERS.get(kind);
    }

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void aReportSentWhileNoWorkerListenedIsCountedOnceAWorkerIsBack(BrokerKind kind) throws Exception {
        try (PipelineKit kit = new PipelineKit(dir, broker(kind))) {
            kit.settings.putAll(QUICK);
            kit.startOem("w-down");
            PipelineKit.assertAccepted(kit.submit(kit.healthy("1.0.0", 1, "healthy_v1.wasm")));
            kit.startVehicle("veh-1");
            kit.stopVehicle("veh-1");
            Campaign c = kit.campaign(release(kit), List.of("veh-1"), "1");
            PipelineKit.await("the instruction at the broker", WAIT, () -> sent(kit, "veh-1") == 1);
            try (OemNode down = kit.oems.remove(0)) {
                down.retire(Duration.ofMillis(300), WAIT, line -> { }); // its sessions end: nobody listens for status reports
            }

            List<ServiceEvent> events = Collections.synchronizedList(new ArrayList<>());
            kit.startVehicle("veh-1", VehicleNode.Options.standalone().withEvents(events::add));
            Path kept = kit.hosts.get("veh-1").config().stateDir().resolve(SentStatuses.DIR);
            PipelineKit.await("veh-1 to commit and send its report", WAIT, () -> Files.isDirectory(kept) && count(kept) == 1);
            Thread.sleep(1000); // the report, published right after it was kept, is at the broker, which has no one to give it to
            assertEquals(1, kit.running(List.of("veh-1"), "1.0.0"));

            kit.startOem("w-down");
            PipelineKit.await("the campaign to count the report", WAIT, () -> state(kit, c) == Campaign.State.COMPLETED);

            String instruction = kit.oem().campaigns().actions(c.id()).get(0).issued().orElseThrow().instructionId();
            assertTrue(events.stream().anyMatch(e -> e.kind() == ServiceEvent.Kind.RESYNC && e.text().equals(
                    "status request from the OEM for 1 instruction(s): sent again: " + instruction + " COMMITTED")),
                    events::toString);
            assertEquals(1, statusRecords(kit, instruction, AuditRecord.Outcome.SUCCESS), "counted once");
            assertTrue(kit.oem().auditTrail().verify().ok());
        }
    }

    @Test
    void aReportRefusedUnderARevokedCertificateIsCountedOnceTheVehicleRunsWithANewOne() throws Exception {
        try (PipelineKit kit = new PipelineKit(dir, broker(BrokerKind.MOSQUITTO))) {
            kit.settings.putAll(QUICK);
            kit.startOem("w-revoked");
            PipelineKit.assertAccepted(kit.submit(kit.healthy("1.0.0", 1, "healthy_v1.wasm")));
            kit.startVehicle("veh-2");
            kit.pki.revoke(List.of(), List.of(new Revocation(Revocation.certificateSha256(kit.credentials.get("veh-2").cert()),
                    "veh-2's key read out of a scrapped ECU")));
            Campaign c = kit.campaign(release(kit), List.of("veh-2"), "1");

            PipelineKit.await("the report to be refused and asked for again", WAIT, () -> refusedRevoked(kit) >= 2);
            List<Action> actions = kit.oem().campaigns().actions(c.id());
            assertEquals(Action.Status.INSTRUCTED, actions.get(0).status(), "not counted");
            assertEquals(1, kit.running(List.of("veh-2"), "1.0.0"), "the vehicle did install it");

            kit.stopVehicle("veh-2");
            kit.startVehicle("veh-2");
            PipelineKit.await("the campaign to count the report", WAIT, () -> state(kit, c) == Campaign.State.COMPLETED);

            String instruction = actions.get(0).issued().orElseThrow().instructionId();
            assertEquals(1, statusRecords(kit, instruction, AuditRecord.Outcome.SUCCESS));
            assertTrue(kit.oem().auditTrail().records().stream().filter(r -> r.event() == AuditEvent.MESSAGE_DEAD_LETTERED
                    && "UNVERIFIED_STATUS".equals(r.cause())).count() >= 2, "each refusal audited");
            assertTrue(kit.oem().auditTrail().verify().ok());
        }
    }

    private static Release release(PipelineKit kit) {
        return kit.oem().releases().find("healthy", "1.0.0").orElseThrow();
    }

    private static Campaign.State state(PipelineKit kit, Campaign c) {
        return kit.oem().campaigns().get(c.id()).state();
    }

    private static long sent(PipelineKit kit, String vehicle) {
        return kit.sentInstructions(vehicle).size();
    }

    private static long count(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long refusedRevoked(PipelineKit kit) {
        synchronized (kit.oemEvents) {
            return kit.oemEvents.stream().filter(e -> e.kind() == ServiceEvent.Kind.REFUSED
                    && e.text().startsWith("refused status from veh-2: UNVERIFIED_STATUS: ") && e.text().contains("revoked"))
                    .count();
        }
    }

    private static long statusRecords(PipelineKit kit, String instruction, AuditRecord.Outcome outcome) {
        return kit.oem().auditTrail().records().stream().filter(r -> r.event() == AuditEvent.CAMPAIGN_STATUS_RECEIVED
                && instruction.equals(r.instructionId()) && r.outcome() == outcome).count();
    }
}

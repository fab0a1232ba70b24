package dev.wasmota.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.broker.BrokerKind;
import dev.wasmota.ecu.RxswinState;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.record.CampaignNotices;
import dev.wasmota.oem.release.Release;
import dev.wasmota.oem.rxswin.ReportedConfiguration;
import dev.wasmota.oem.rxswin.RxswinRegister;
import dev.wasmota.signing.pkg.PackageFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 over the real pipeline (MQTT broker, signed instructions and statuses, ECU hosts): a
 * release that changes the RXSWIN reaches the vehicle, which takes it on commit and reports it with
 * its modules in its signed status, and tells its user; the next release's campaign then leaves
 * out, by name and reason, the vehicle whose reported RXSWIN it does not fit.
 */
class RxswinPipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Brokers BROKERS = new Brokers();

    @TempDir
    Path dir;

    @AfterAll
    static void stopBrokers() {
        BROKERS.close();
    }

    private static Release publish(PipelineKit kit, String version, long securityVersion, String wasm) {
        return kit.oem().releases().publish(PackageFile.toBytes(kit.fx.countersigned(kit.healthy(version, securityVersion, wasm))));
    }

    private static void completes(PipelineKit kit, Campaign c) throws InterruptedException {
        PipelineKit.await("campaign " + c.id() + " to complete", WAIT,
                () -> kit.oem().campaigns().get(c.id()).state() == Campaign.State.COMPLETED);
    }

    @Test
    void theVehicleTakesTheNewRxswinReportsItAndAReleaseThatDoesNotFitLeavesItOut() throws Exception {
        try (PipelineKit kit = new PipelineKit(dir, BROKERS.get(BrokerKind.EMBEDDED))) {
            kit.startOem("w1");
            kit.startVehicle("veh-1");
            kit.startVehicle("veh-2");
            Release v1 = publish(kit, "1.0.0", 1, "healthy_v1.wasm");
            Release v2 = publish(kit, "2.0.0", 2, "healthy_v2.wasm");
            RxswinRegister rx = kit.oem().workspace().rxswin("test");
            rx.define("ecu-a", "R-A1", Map.of("healthy", "1.0.0"), "");
            rx.define("ecu-a", "R-A2", Map.of("healthy", "2.0.0"), "");
            rx.state(kit.oem().releases(), v1.id(), Optional.empty(), Optional.empty(), "first fit, no approval change",
                    List.of());
            rx.state(kit.oem().releases(), v2.id(), Optional.of("R-A1"), Optional.of("R-A2"), "new filter", List.of());
            Campaign first = kit.oem().campaigns().create(CampaignSpec.builder(v1.id(), Targets.vehicles(List.of("veh-1")),
                    WavePlan.parse("1")).build());
            kit.oem().workspace().notices("test").state(first.id(), Optional.of("brake temperature module"),
                    Duration.ofMinutes(2), List.of("adaptive cruise control"));
            completes(kit, kit.oem().campaigns().start(first.id()));
            PipelineKit.await("veh-1's configuration", WAIT, () -> rx.configuration("veh-1").isPresent());
            ReportedConfiguration c1 = rx.configuration("veh-1").orElseThrow();
            assertEquals(Optional.empty(), c1.rxswin(), "v1 changes none; the vehicle had none");
            assertEquals("1.0.0", c1.modules().get("healthy").version());
            PipelineKit.await("veh-1's notice", WAIT,
                    () -> !kit.oem().campaigns().notices().reported(first.id()).isEmpty());
            CampaignNotices.Reported told = kit.oem().campaigns().notices().reported(first.id()).get("veh-1").get(0);
            assertEquals("Update done: healthy 1.0.0 is active", told.outcome());
            List<AuditRecord> hmi = AuditLog.read(kit.hosts.get("veh-1").auditFile()).stream()
                    .filter(r -> r.event() == AuditEvent.USER_NOTIFIED).toList();
            assertEquals(List.of("BEFORE", "AFTER"), hmi.stream().map(AuditRecord::cause).toList());

            // veh-1 runs R-A1 (by the register, from its modules); veh-2 has reported nothing
            Campaign second = kit.oem().campaigns().create(CampaignSpec.builder(v2.id(),
                    Targets.vehicles(List.of("veh-1", "veh-2")), WavePlan.parse("100%")).build());
            completes(kit, kit.oem().campaigns().start(second.id()));
            Action left = kit.oem().campaigns().actions(second.id()).stream().filter(a -> a.vehicleId().equals("veh-2"))
                    .findFirst().orElseThrow();
            assertEquals(Action.Status.EXCLUDED, left.status());
            assertTrue(left.detail().orElseThrow().startsWith("no signed configuration reported yet"), left.toString());
            PipelineKit.await("veh-1's new RXSWIN reported", WAIT,
                    () -> rx.configuration("veh-1").flatMap(ReportedConfiguration::rxswin).isPresent());
            assertEquals(Optional.of("R-A2"), rx.configuration("veh-1").orElseThrow().rxswin());
            assertEquals(Optional.of("R-A2"), RxswinState.in(kit.hosts.get("veh-1").config().stateDir())
                    .peek(kit.hosts.get("veh-1").modules()), "kept in the vehicle's state directory");
            assertEquals(0, kit.running(List.of("veh-2"), "2.0.0"), "veh-2 was never instructed");
            assertEquals(1, kit.running(List.of("veh-1"), "2.0.0"));
        }
    }
}

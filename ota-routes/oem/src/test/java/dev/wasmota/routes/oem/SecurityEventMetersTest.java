package dev.wasmota.routes.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.campaign.IssuedInstruction;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R155 monitoring: the OEM's security events counted by kind for the fleet and per vehicle, as gauges. */
class SecurityEventMetersTest {
    @TempDir
    Path dir;

    @Test
    void countsRefusedStatusReportsByKindForTheFleetAndTheVehicle() {
        try (CampaignKit kit = new CampaignKit(dir)) {
            List<String> vehicles = kit.vehicles(2);
            Campaign k = kit.service.create(kit.spec(kit.v2, vehicles, "100%").build());
            kit.service.start(k.id());
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            FleetMeters meters = new FleetMeters(kit.db, kit.clock, registry);
            IssuedInstruction i = kit.outbox.all().get(0);
            for (int n = 0; n < 2; n++) {
                assertThrows(RejectedException.class, () -> kit.service.reportStatus(i.instruction().vehicleId(), k.id(),
                        i.instruction().instructionId(), "forged", Action.Status.COMMITTED, "x"));
            }

            meters.refresh();

            assertEquals(2.0, registry.get(FleetMeters.SECURITY).tag("kind", "WRONG_NONCE").gauge().value());
            assertEquals(2.0, registry.get(FleetMeters.SECURITY_BY_VEHICLE).tag("vehicle", i.instruction().vehicleId())
                    .tag("kind", "WRONG_NONCE").gauge().value());
            kit.answer(i, Action.Status.COMMITTED);
            meters.refresh();
            assertEquals(2.0, registry.get(FleetMeters.SECURITY).tag("kind", "WRONG_NONCE").gauge().value(),
                    "an accepted report is no security event; the count is not read twice");
        }
    }
}

package dev.wasmota.oem.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecurityEventsTest {
    private static AuditRecord record(AuditEvent event, AuditRecord.Outcome outcome, String cause, String detail) {
        return AuditRecord.builder(event).actor("t").outcome(outcome).cause(cause).detail(detail).build();
    }

    @Test
    void countsByKindPerVehicleAndFleetNamingOnlyTheVehiclesTheRecordsName() {
        SecurityEvents e = SecurityEvents.of(List.of(
                record(AuditEvent.CAMPAIGN_STATUS_RECEIVED, AuditRecord.Outcome.REFUSED, "WRONG_NONCE", "from vehicle veh-1: x"),
                record(AuditEvent.MESSAGE_DEAD_LETTERED, AuditRecord.Outcome.REFUSED, "BAD_SIGNATURE",
                        "rejected (BAD_SIGNATURE): y (topic ota/vehicle/veh-2/status, route oem-status, 10 bytes)"),
                record(AuditEvent.SECURITY_EVENT, AuditRecord.Outcome.REFUSED, "RESOURCE_LIMIT",
                        "the module exceeds the vehicle hosts' ceilings"),
                record(AuditEvent.CAMPAIGN_STATUS_RECEIVED, AuditRecord.Outcome.SUCCESS, "COMMITTED", "vehicle veh-1 (install)")));

        assertEquals(Map.of("WRONG_NONCE", 1, "BAD_SIGNATURE", 1, "RESOURCE_LIMIT", 1), e.fleet());
        assertEquals(Map.of("veh-1", Map.of("WRONG_NONCE", 1), "veh-2", Map.of("BAD_SIGNATURE", 1),
                SecurityEvents.FLEET_ONLY, Map.of("RESOURCE_LIMIT", 1)), e.byVehicle());
        assertEquals(java.util.Optional.empty(), SecurityEvents.recount(e.toJson()));
    }
}

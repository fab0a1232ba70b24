package dev.wasmota.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.ecu.safety.SafeExecution;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.release.Release;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's drive cycle with safe-execution preconditions: each car activates the update only
 * while it stands at a light; those driving when it arrived postpone it, and all commit in the end.
 */
class SafeExecutionIT {
    @TempDir
    Path dir;

    @Test
    void carsPostponeTheUpdateWhileDrivingAndActivateItAtALight() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(SafeExecution.FILE), SafeExecution.DEFAULT.toJson());
        FleetConfig config = FleetConfig.of(dir, 4);
        try (Fleet fleet = Fleet.start(config, n -> { })) {
            Scenario s = new Scenario(fleet, new Narrator(new PrintWriter(new StringWriter()), false),
                    Path.of(System.getProperty("ota.corpus")));
            Release v1 = s.submit("healthy_v1.wasm", "1.0.0", 1, Optional.empty());

            assertEquals(Campaign.State.COMPLETED, s.rollout(v1, "100%", Duration.ZERO, Duration.ofSeconds(90), false));

            assertEquals(Map.of("1.0.0", 4), Demo.versions(fleet));
            int postponed = 0;
            for (SimVehicle v : fleet.vehicles().values()) {
                List<AuditRecord> log = AuditLog.read(v.host().auditFile());
                long firstPostponed = log.stream().filter(r -> r.event() == AuditEvent.INSTALL_POSTPONED)
                        .mapToLong(AuditRecord::seq).min().orElse(Long.MAX_VALUE);
                long committed = log.stream().filter(r -> r.event() == AuditEvent.INSTALL_COMMITTED)
                        .mapToLong(AuditRecord::seq).max().orElseThrow();
                if (firstPostponed != Long.MAX_VALUE) {
                    postponed++;
                    assertTrue(committed > firstPostponed, v + ": committed after it was postponed");
                    AuditRecord p = log.stream().filter(r -> r.seq() == firstPostponed).findFirst().orElseThrow();
                    assertTrue(!p.preconditions().get("vehicle-speed").equals("0.00 km/h"), "postponed while moving: " + p);
                }
            }
            assertTrue(postponed >= 3, "the cars' cycles are spread: at most one stands at a light at a time; "
                    + postponed + " postponed");
        }
    }
}

package dev.wasmota.ecu;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static dev.wasmota.ecu.HostTestKit.assertLogVerifies;
import static dev.wasmota.ecu.HostTestKit.assertRejected;
import static dev.wasmota.ecu.HostTestKit.await;
import static dev.wasmota.ecu.HostTestKit.only;
import static dev.wasmota.ecu.HostTestKit.records;
import static dev.wasmota.ecu.HostTestKit.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.ecu.slots.ModuleState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One module's damaged state quarantines that module only: the host opens, logs the quarantine,
 * runs every other module, and refuses to act on the damaged one.
 */
class EcuHostQuarantineTest {
    @TempDir
    static Path pki;
    @TempDir
    Path state;

    private static HostTestKit kit;
    private static byte[] v1;
    private static byte[] v2;
    private static byte[] idle;

    @BeforeAll
    static void oemAndPackages() {
        kit = new HostTestKit(pki);
        v1 = kit.healthy("1.0.0", 1);
        v2 = kit.healthy("2.0.0", 2);
        idle = kit.released("empty.wasm", spec("idle", "1.0.0", 1, ""));
    }

    @BeforeEach
    void healthyAndIdleInstalled() {
        try (EcuHost host = kit.open(state)) {
            host.install(v1, InstallContext.manual());
            host.install(v2, InstallContext.manual());
            host.install(idle, InstallContext.manual());
        }
    }

    private Path moduleFile(String module, String file) {
        return state.resolve("slots").resolve("modules").resolve(module).resolve(file);
    }

    /** Opens the host on the damaged state, and checks the quarantine of healthy and that idle still runs. */
    private AuditRecord assertQuarantinedAndIdleRuns(String cause) throws InterruptedException {
        try (EcuHost host = kit.open(state)) {
            assertEquals(List.of("idle"), host.modules().stream().map(ModuleState::moduleId).toList());
            assertTrue(host.quarantined().get(HEALTHY).startsWith(cause + ": "), host.quarantined().toString());
            assertTrue(kit.printed().contains("quarantined: healthy: " + cause), kit.printed());
            AuditRecord quarantined = only(records(host), AuditEvent.QUARANTINED);
            assertEquals(HEALTHY, quarantined.moduleId());
            assertEquals(cause, quarantined.cause());

            host.start();
            await(Duration.ofSeconds(10), "idle ticking", () -> host.stats().containsKey("idle")
                    && host.stats().get("idle").calls() >= 5);
            assertTrue(host.running(HEALTHY).isEmpty(), "the quarantined module is not started");
            assertEquals(java.util.Optional.empty(), host.probation(HEALTHY));
            assertRejected(UpdateFailure.MODULE_QUARANTINED, 3, () -> host.rollback(HEALTHY, "test"));
            assertRejected(UpdateFailure.MODULE_QUARANTINED, 3, () -> host.confirm(HEALTHY, "test"));
            host.stop();
            assertLogVerifies(host);
            return quarantined;
        }
    }

    @Test
    void garbageStateQuarantinesThatModuleOnly() throws Exception {
        Files.writeString(moduleFile(HEALTHY, "state.json"), "garbage");
        assertTrue(assertQuarantinedAndIdleRuns("STATE_UNREADABLE").detail().contains("state.json"));
    }

    @Test
    void emptyFloorQuarantinesThatModuleOnly() throws Exception {
        Files.write(moduleFile(HEALTHY, "floor.json"), new byte[0]);
        assertTrue(assertQuarantinedAndIdleRuns("FLOOR_UNREADABLE").detail().contains("floor.json"));
    }

    @Test
    void anActiveSlotBelowTheFloorIsQuarantinedAsASecurityEvent() throws Exception {
        Files.writeString(moduleFile(HEALTHY, "floor.json"), "{\"moduleId\":\"healthy\",\"securityVersionFloor\":7}\n");
        assertQuarantinedAndIdleRuns("ACTIVE_BELOW_FLOOR");
        try (EcuHost host = kit.open(state)) {
            assertTrue(records(host).stream().anyMatch(r -> r.event() == AuditEvent.SECURITY_EVENT
                    && "ACTIVE_BELOW_FLOOR".equals(r.cause())), "logged as a security event");
        }
    }

    @Test
    void aStrayEntryAmongTheModulesIsLoggedAndLeftAlone() throws Exception {
        Files.writeString(state.resolve("slots").resolve("modules").resolve("NOTES.txt"), "left by a technician");
        try (EcuHost host = kit.open(state)) {
            assertEquals(List.of(HEALTHY, "idle"), host.modules().stream().map(ModuleState::moduleId).toList());
            assertTrue(host.quarantined().isEmpty(), host.quarantined().toString());
            assertTrue(records(host).stream().anyMatch(r -> r.event() == AuditEvent.RECOVERY
                    && r.detail().contains("NOTES.txt")));
        }
    }

    @Test
    void aStateDamagedWhileTheHostRunsIsQuarantinedWhenNextRead() throws Exception {
        try (EcuHost host = kit.open(state)) {
            Files.writeString(moduleFile(HEALTHY, "state.json"), "{");
            assertEquals(List.of("idle"), host.modules().stream().map(ModuleState::moduleId).toList());
            assertEquals("STATE_UNREADABLE", only(records(host), AuditEvent.QUARANTINED).cause());
        }
    }
}

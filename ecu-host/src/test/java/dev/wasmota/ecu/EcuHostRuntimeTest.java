package dev.wasmota.ecu;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static dev.wasmota.ecu.HostTestKit.assertLogVerifies;
import static dev.wasmota.ecu.HostTestKit.assertRejected;
import static dev.wasmota.ecu.HostTestKit.await;
import static dev.wasmota.ecu.HostTestKit.awaitRecord;
import static dev.wasmota.ecu.HostTestKit.eventsOf;
import static dev.wasmota.ecu.HostTestKit.records;
import static dev.wasmota.ecu.HostTestKit.spec;
import static dev.wasmota.ecu.HostTestKit.wasmSha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.ecu.sandbox.ModuleStats;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.ecu.slots.Slot;
import dev.wasmota.ecu.slots.SlotFailure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running host: modules on their periods, the automatic rollback on a tripped fault window, and rollback by hand. */
class EcuHostRuntimeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path pki;
    @TempDir
    Path state;

    private static HostTestKit kit;
    private static byte[] v1;
    private static byte[] v2;
    private static byte[] stormOverHealthy;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    static void oemAndPackages() {
        kit = new HostTestKit(pki);
        v1 = kit.healthy("1.0.0", 1);
        v2 = kit.healthy("2.0.0", 2);
        stormOverHealthy = kit.released("trap_storm.wasm", spec(HEALTHY, "2.0.0", 2, ""));
    }

    /** A host that trips a module's fault window at 3 faults within a minute. */
    private EcuHost openHost() {
        return kit.open(kit.config(state).faultWindow(3, Duration.ofMinutes(1)).meters(meters).build());
    }

    @Test
    void startRunsEveryInstalledModuleOnItsPeriodWithItsHostFunctions() throws InterruptedException {
        try (EcuHost host = openHost()) {
            host.install(v1, InstallContext.manual());
            host.install(kit.released("empty.wasm", spec("empty", "1.0.0", 1, "")), InstallContext.manual());
            host.config().environment().can().set(0x120, 21);

            host.start();
            await(WAIT, "ten ticks of each module", () -> calls(host, HEALTHY) >= 10 && calls(host, "empty") >= 10);

            assertEquals(42, host.config().environment().can().value(0x220).orElseThrow(), "healthy v1 writes 2x");
            assertTrue(host.running(HEALTHY).orElseThrow().call("ticks").value(0) >= 10);
            List<AuditRecord> activated = records(host).stream().filter(r -> r.event() == AuditEvent.ACTIVATED).toList();
            assertEquals(List.of("empty", HEALTHY), activated.stream().map(AuditRecord::moduleId).sorted().toList());
            assertTrue(activated.stream().allMatch(r -> r.outcome() == Outcome.SUCCESS), activated.toString());

            host.stop();
            assertTrue(host.running(HEALTHY).isEmpty(), "stopped hosts run nothing");
            assertEquals(Map.of(), host.stats());
        }
    }

    @Test
    void rollsBackByItselfWhenTheFaultWindowTripsAndKeepsThePreviousVersionTicking() throws InterruptedException {
        try (EcuHost host = openHost()) {
            host.install(v1, InstallContext.manual());
            host.start();
            await(WAIT, "v1 ticking", () -> calls(host, HEALTHY) >= 2);

            host.install(stormOverHealthy, InstallContext.manual());
            assertEquals(Slot.B, onlyModule(host).active(), "trap_storm passed its health check and runs");
            await(WAIT, "the automatic rollback", () -> host.rollbacks().getOrDefault(HEALTHY, 0L) >= 1);

            ModuleState s = onlyModule(host);
            assertEquals(Slot.A, s.active());
            assertEquals("1.0.0", s.activeMetadata().version());
            assertNull(s.previous(), "the faulty slot is no rollback target");
            List<AuditRecord> log = records(host);
            AuditRecord tripped = onlyOf(log, AuditEvent.FAULT_WINDOW_TRIPPED);
            assertEquals("TRAP", tripped.cause());
            assertTrue(tripped.detail().contains("3 faults"), tripped.detail());
            AuditRecord rollback = onlyOf(log, AuditEvent.ROLLBACK);
            assertTrue(log.indexOf(tripped) < log.indexOf(rollback), eventsOf(log).toString());
            assertEquals(Outcome.SUCCESS, rollback.outcome());
            assertEquals("FAULT_WINDOW", rollback.cause());
            assertEquals(HostAudit.ACTOR, rollback.actor());
            assertEquals("2.0.0", rollback.fromVersion());
            assertEquals(wasmSha256("trap_storm.wasm"), rollback.fromWasmSha256());
            assertEquals("1.0.0", rollback.toVersion());
            assertEquals(wasmSha256("healthy_v1.wasm"), rollback.toWasmSha256());
            assertTrue(kit.printed().contains("by itself"), kit.printed());

            SandboxedModule running = host.running(HEALTHY).orElseThrow();
            assertEquals(1, running.call("version").value(0), "v1 runs again");
            long ticksAfterRollback = calls(host, HEALTHY);
            await(WAIT, "v1 ticking after the rollback", () -> calls(host, HEALTHY) >= ticksAfterRollback + 10);
            assertEquals(0, running.faults(), "the restored v1 does not fault");
            assertEquals(3, host.stats().get(HEALTHY).traps(), "the run keeps the faults of the version rolled back");
            assertEquals(Map.of(HEALTHY, 1L), host.rollbacks());
            assertEquals(1.0, meters.get("ecu.module.rollbacks").tag("module", HEALTHY).counter().count());
            assertLogVerifies(host);
        }
    }

    @Test
    void stopsAFaultingModuleWithNoPreviousSlotAndLogsTheFailedRollback() throws InterruptedException {
        try (EcuHost host = openHost()) {
            host.install(kit.released("trap_storm.wasm", spec("storm", "1.0.0", 1, "")), InstallContext.manual());
            host.start();

            AuditRecord failed = awaitRecord(host, WAIT, "the failed rollback", r -> r.event() == AuditEvent.ROLLBACK);

            assertEquals(Outcome.FAILURE, failed.outcome());
            assertEquals(SlotFailure.NO_PREVIOUS_SLOT.name(), failed.cause());
            assertEquals("storm", failed.moduleId());
            List<AuditRecord> log = records(host);
            assertTrue(log.indexOf(onlyOf(log, AuditEvent.FAULT_WINDOW_TRIPPED)) < log.indexOf(failed));
            await(WAIT, "the module to be stopped", () -> host.running("storm").isEmpty());
            assertTrue(host.stats().get("storm").tripped(), "the stopped module's record stays: " + host.stats());
            assertEquals(Map.of(), host.rollbacks());
            assertNull(meters.find("ecu.module.rollbacks").counter(), "no rollback happened");
            assertEquals("1.0.0", onlyModule(host).activeMetadata().version(), "the slot is left as it was");
            assertLogVerifies(host);
        }
    }

    /**
     * The healthy module's budget is far above its usual tick (well under 1 ms) because on a
     * loaded two-core machine a warm tick now and then takes over 10 ms of wall time, runaway or
     * not; the runaway's budget is 1 ms, so each of its ticks is stopped and counted.
     */
    @Test
    void runawayModuleNeverMakesItsNeighbourMissADeadline() throws InterruptedException {
        byte[] healthy = kit.released("healthy_v1.wasm", spec(HEALTHY, "1.0.0", 1, HostTestKit.HEALTHY_CAPS, 1, 50_000, 10));
        byte[] runaway = kit.released("runaway.wasm", spec("runaway", "1.0.0", 1, "", 1, 1_000, 10));
        try (EcuHost host = kit.open(kit.config(state).faultWindow(10_000, Duration.ofMinutes(1)).meters(meters)
                .realtime(dev.wasmota.ecu.sandbox.Stops.onTheCpu()).build())) {
            host.install(healthy, InstallContext.manual());
            host.install(runaway, InstallContext.manual());

            Map<String, ModuleStats> stats = host.run(Duration.ofMillis(1_200)).stats();

            ModuleStats h = stats.get(HEALTHY);
            ModuleStats r = stats.get("runaway");
            assertEquals(0, h.deadlineMisses(), h.toString());
            assertEquals(0, h.faults(), h.toString());
            assertTrue(h.calls() >= 50, "healthy ticked only " + h.calls() + " times in 1.2 s at 10 ms: " + h);
            assertTrue(r.deadlineMisses() + r.hostOverloads() >= 20, r.toString());
            assertEquals(r.calls(), r.deadlineMisses() + r.hostOverloads(), "every runaway tick is stopped: " + r);
            assertTrue(r.deadlineMisses() >= 1, "counted against the module: " + r);
            double metered = meters.get("ecu.module.deadline.misses").tag("module", "runaway").counter().count();
            assertTrue(metered >= r.deadlineMisses(), "a tick in flight at stop may add one: " + metered + " vs " + r);
            assertEquals(0.0, meters.get("ecu.module.deadline.misses").tag("module", HEALTHY).counter().count());
        }
    }

    @Test
    void rollbackByHandSwitchesToThePreviousSlotAndLogsIt() {
        try (EcuHost host = openHost()) {
            host.install(v1, InstallContext.manual());
            host.install(v2, InstallContext.manual());

            ModuleState after = host.rollback(HEALTHY, "operator-7");

            assertEquals(Slot.A, after.active());
            assertEquals(after, onlyModule(host));
            assertEquals("1.0.0", after.activeMetadata().version());
            assertNull(after.previous());
            List<AuditRecord> log = records(host);
            AuditRecord rollback = log.get(log.size() - 1);
            assertEquals(AuditEvent.ROLLBACK, rollback.event());
            assertEquals(Outcome.SUCCESS, rollback.outcome());
            assertEquals("MANUAL", rollback.cause());
            assertEquals("operator-7", rollback.actor());
            assertEquals("2.0.0", rollback.fromVersion());
            assertEquals("1.0.0", rollback.toVersion());
            assertEquals(wasmSha256("healthy_v1.wasm"), rollback.toWasmSha256());
            assertEquals(1L, rollback.securityVersion());
            assertLogVerifies(host);
        }
    }

    @Test
    void rollbackByHandWhileRunningRestartsTheModuleFromThePreviousSlot() throws InterruptedException {
        try (EcuHost host = openHost()) {
            host.install(v1, InstallContext.manual());
            host.install(v2, InstallContext.manual());
            host.start();
            assertTrue(host.awaitStarted(WAIT), "started");
            assertEquals(2, host.running(HEALTHY).orElseThrow().call("version").value(0));

            host.rollback(HEALTHY, "operator-7");

            assertEquals(1, host.running(HEALTHY).orElseThrow().call("version").value(0), "v1 runs after the rollback");
            await(WAIT, "v1 ticking", () -> calls(host, HEALTHY) >= 5);
        }
    }

    @Test
    void rollbackByHandIsRefusedAndLoggedWhenThereIsNoPreviousSlot() {
        try (EcuHost host = openHost()) {
            host.install(v1, InstallContext.manual());
            host.install(v2, InstallContext.manual());
            host.rollback(HEALTHY, "operator-7");

            assertRejected(SlotFailure.NO_PREVIOUS_SLOT, 4, () -> host.rollback(HEALTHY, "operator-7"));

            List<AuditRecord> log = records(host);
            AuditRecord refused = log.get(log.size() - 1);
            assertEquals(AuditEvent.ROLLBACK, refused.event());
            assertEquals(Outcome.REFUSED, refused.outcome());
            assertEquals("NO_PREVIOUS_SLOT", refused.cause());
            assertEquals(HEALTHY, refused.moduleId());
            assertEquals("1.0.0", onlyModule(host).activeMetadata().version(), "the active slot is unchanged");
            assertLogVerifies(host);
        }
    }

    private static long calls(EcuHost host, String id) {
        ModuleStats s = host.stats().get(id);
        return s == null ? 0 : s.calls();
    }

    private static ModuleState onlyModule(EcuHost host) {
        List<ModuleState> modules = host.modules();
        assertEquals(1, modules.size(), modules.toString());
        return modules.get(0);
    }

    private static AuditRecord onlyOf(List<AuditRecord> log, AuditEvent event) {
        return HostTestKit.only(log, event);
    }
}

package dev.wasmota.ecu;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static dev.wasmota.ecu.HostTestKit.HEALTHY_CAPS;
import static dev.wasmota.ecu.HostTestKit.assertLogVerifies;
import static dev.wasmota.ecu.HostTestKit.assertRejected;
import static dev.wasmota.ecu.HostTestKit.await;
import static dev.wasmota.ecu.HostTestKit.only;
import static dev.wasmota.ecu.HostTestKit.records;
import static dev.wasmota.ecu.HostTestKit.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.ecu.sandbox.SandboxedModule;
import dev.wasmota.ecu.sandbox.SimulatedCanBus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shadow runs: a release called beside the active version on the same inputs, its writes captured
 * on buses of its own and compared tick by tick; promoted through the install path when it agrees,
 * discarded with examples when it does not, never touching the active version or the vehicle's bus.
 */
class EcuHostShadowTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Generous: the test modules' 50 ms deadlines over 10 ms periods are 5 cores each on paper. */
    private static final ShadowBudget ROOMY = new ShadowBudget(1024, 64);

    @TempDir
    static Path pki;
    @TempDir
    Path state;

    private static HostTestKit kit;
    private static byte[] v1;
    private static byte[] v1Again;
    private static byte[] v2;
    private static byte[] faulty;
    private EcuHost host;
    private SimulatedCanBus vehicleBus;

    @BeforeAll
    static void oemAndPackages() {
        kit = new HostTestKit(pki);
        v1 = kit.healthy("1.0.0", 1);
        v1Again = kit.released("healthy_v1.wasm", spec(HEALTHY, "1.1.0", 1, HEALTHY_CAPS));
        v2 = kit.healthy("2.0.0", 2);
        faulty = kit.released("faulty_v2.wasm", spec(HEALTHY, "2.0.0", 2, HEALTHY_CAPS));
    }

    @BeforeEach
    void runningV1() throws InterruptedException {
        host = kit.open(state);
        host.shadowBudget(ROOMY);
        host.install(v1, InstallContext.manual());
        vehicleBus = host.config().environment().can();
        vehicleBus.set(0x120, 42);
        host.start();
        assertTrue(host.awaitStarted(WAIT));
    }

    @AfterEach
    void close() {
        host.close();
    }

    private static ShadowSpec rule(long ticks, double ratio, long faults) {
        return new ShadowSpec(ShadowTolerance.exact(), new ShadowRule(ticks, ratio, faults));
    }

    @Test
    void aShadowsWritesNeverReachTheVehiclesBus() throws InterruptedException {
        vehicleBus.clearWrites();
        host.startShadow(v2, InstallContext.manual(), rule(1_000_000, 1.0, 0));

        await(WAIT, "20 compared ticks", () -> host.shadow(HEALTHY).orElseThrow().compared() >= 20);

        ShadowReport r = host.shadow(HEALTHY).orElseThrow();
        assertEquals(ShadowReport.State.RUNNING, r.state());
        assertEquals(r.compared(), r.disagreements(), "v2 writes 3x+1 where v1 writes 2x: every tick disagrees");
        assertEquals(new ShadowReport.Example(r.examples().get(0).tick(), "can:0x220", "84", "127"), r.examples().get(0));
        assertTrue(vehicleBus.writes().stream().allMatch(f -> f.id() == 0x220 && f.value() == 84),
                "only the active version's 84 on the vehicle's bus, never the shadow's 127: " + vehicleBus.writes());
        assertTrue(vehicleBus.writeCount() >= 20);
        host.discardShadow(HEALTHY, "operator", "test over");
        assertEquals(ShadowReport.State.DISCARDED, host.shadow(HEALTHY).orElseThrow().state());
    }

    @Test
    void aShadowThatAgreesIsPromotedThroughTheInstallPath() throws InterruptedException {
        SandboxedModule before = host.running(HEALTHY).orElseThrow();
        host.startShadow(v1Again, InstallContext.manual(), rule(30, 0.0, 0));

        await(WAIT, "the promotion", () -> host.shadow(HEALTHY).orElseThrow().state() != ShadowReport.State.RUNNING);

        ShadowReport r = host.shadow(HEALTHY).orElseThrow();
        assertEquals(ShadowReport.State.PROMOTED, r.state(), r.summary());
        assertEquals(30, r.compared());
        assertEquals(30, r.agreements());
        assertTrue(r.reason().contains("agreed on 30 of 30"), r.reason());
        assertEquals("1.1.0", host.modules().get(0).activeMetadata().version());
        assertNotSame(before, host.running(HEALTHY).orElseThrow(), "the promoted version runs");
        List<AuditRecord> log = records(host);
        assertEquals("1.1.0", only(log, AuditEvent.SHADOW_PROMOTED).toVersion());
        assertTrue(log.stream().anyMatch(a -> a.event() == AuditEvent.INSTALL_COMMITTED && "1.1.0".equals(a.toVersion())),
                "committed by the normal install path");
        assertLogVerifies(host);
    }

    @Test
    void aShadowThatDisagreesIsDiscardedWithExamplesAndTheActiveRunsOn() throws InterruptedException {
        SandboxedModule active = host.running(HEALTHY).orElseThrow();
        host.startShadow(v2, InstallContext.manual(), rule(30, 0.1, 0));

        await(WAIT, "the discard", () -> host.shadow(HEALTHY).orElseThrow().state() != ShadowReport.State.RUNNING);

        ShadowReport r = host.shadow(HEALTHY).orElseThrow();
        assertEquals(ShadowReport.State.DISCARDED, r.state(), r.summary());
        assertEquals(4, r.disagreements(), "3 of 30 allowed; the 4th discards");
        assertEquals(4, r.examples().size());
        assertTrue(r.examples().stream().allMatch(e -> e.signal().equals("can:0x220") && e.active().equals("84")
                && e.shadow().equals("127")), r.examples().toString());
        assertTrue(r.reason().contains("disagreed on 4 of 4"), r.reason());
        assertEquals("1.0.0", host.modules().get(0).activeMetadata().version());
        assertSame(active, host.running(HEALTHY).orElseThrow(), "the active version never stopped");
        long calls = active.calls();
        await(WAIT, "the active ticking on", () -> active.calls() > calls + 5);
        AuditRecord discarded = only(records(host), AuditEvent.SHADOW_DISCARDED);
        assertTrue(discarded.detail().contains("tick ") && discarded.detail().contains("active 84, shadow 127"),
                discarded.detail());
    }

    @Test
    void aShadowsFaultsLeaveTheActiveModuleUntouched() throws InterruptedException {
        vehicleBus.set(0x120, 5500); // faulty v2 traps from the third tick in the 50-60 km/h band
        SandboxedModule active = host.running(HEALTHY).orElseThrow();
        vehicleBus.clearWrites();
        host.startShadow(faulty, InstallContext.manual(), rule(1_000, 1.0, 2));

        await(WAIT, "the discard", () -> host.shadow(HEALTHY).orElseThrow().state() != ShadowReport.State.RUNNING);

        ShadowReport r = host.shadow(HEALTHY).orElseThrow();
        assertEquals(ShadowReport.State.DISCARDED, r.state(), r.summary());
        assertEquals(3, r.shadowFaults());
        assertTrue(r.reason().contains("TRAP"), r.reason());
        assertSame(active, host.running(HEALTHY).orElseThrow());
        assertEquals(0, active.faults(), "no fault reached the active sandbox");
        assertEquals(0, active.rebuilds(), "its instance was never rebuilt");
        assertEquals(0, host.stats().get(HEALTHY).traps());
        assertFalse(vehicleBus.writes().stream().anyMatch(f -> f.value() != 11000), vehicleBus.writes().toString());
        assertTrue(records(host).stream().noneMatch(a -> a.event() == AuditEvent.FAULT_WINDOW_TRIPPED));
    }

    @Test
    void aHostThatCannotAffordAShadowRefusesItWithTheReason() {
        host.shadowBudget(new ShadowBudget(1, 64));
        RejectedException memory = assertRejected(ShadowFailure.SHADOW_UNAFFORDABLE, 4,
                () -> host.startShadow(v2, InstallContext.manual(), rule(10, 0, 0)));
        assertTrue(memory.getMessage().contains("memory: 1 pages in use + 1 for the shadow > the host's 1"),
                memory.getMessage());

        host.shadowBudget(new ShadowBudget(1024, 6));
        RejectedException cpu = assertRejected(ShadowFailure.SHADOW_UNAFFORDABLE, 4,
                () -> host.startShadow(v2, InstallContext.manual(), rule(10, 0, 0)));
        assertTrue(cpu.getMessage().contains("CPU: deadlines over periods sum to 5.000 cores + 5.000"), cpu.getMessage());
        assertTrue(host.shadow(HEALTHY).isEmpty());
        assertEquals(ShadowFailure.SHADOW_UNAFFORDABLE.name(), only(records(host).subList(records(host).size() - 1,
                records(host).size()), AuditEvent.INSTALL_REFUSED).cause());
    }

    @Test
    void anInstallInPlaceOfTheActiveDiscardsItsShadow() throws InterruptedException {
        host.startShadow(v2, InstallContext.manual(), rule(1_000_000, 1.0, 0));
        host.install(v1Again, InstallContext.manual());

        ShadowReport r = host.shadow(HEALTHY).orElseThrow();
        assertEquals(ShadowReport.State.DISCARDED, r.state());
        assertTrue(r.reason().contains("another version was installed"), r.reason());
        RejectedException e = assertRejected(ShadowFailure.NO_SHADOW, 4, () -> host.promoteShadow(HEALTHY, "operator"));
        assertTrue(e.getMessage().contains("the last one was DISCARDED"), e.getMessage());
    }
}

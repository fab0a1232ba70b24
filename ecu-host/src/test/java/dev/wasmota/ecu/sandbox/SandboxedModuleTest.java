package dev.wasmota.ecu.sandbox;

import dev.wasmota.testkit.MutableClock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.RejectedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SandboxedModuleTest {
    private static final ModuleLimits ONE_PAGE = new ModuleLimits(1, 20_000, 10);
    /** Generous for a loaded 2-core CI machine, yet far below "never stopped". */
    private static final long STOP_SLACK_NANOS = Duration.ofMillis(300).toNanos();

    private static SandboxedModule sandbox(String name, ModuleLimits limits) {
        return SandboxedModule.builder(Corpus.compiled(name, "")).id(name).limits(limits).build();
    }

    @Test
    void runawayIsStoppedWithinItsBudgetAndRebuiltFresh() {
        try (SandboxedModule m = sandbox("runaway", ONE_PAGE)) {
            m.call("tick");
            CallResult r = m.call("tick");

            Stops.assertStopped(r, ONE_PAGE.deadlineNanos());
            assertTrue(r.elapsedNanos() < ONE_PAGE.deadlineNanos() + STOP_SLACK_NANOS, r.toString());
            assertTrue(r.overshootNanos() >= 0 && r.overshootNanos() < STOP_SLACK_NANOS, r.toString());
            assertArrayEquals(new byte[4], m.readMemory(0, 4), "the loop counter died with the old memory");
            assertEquals(2, m.rebuilds());
            assertEquals(0, m.call("init").value(0), "callable again after the rebuild");
            Stops.assertStopped(m.call("tick"), ONE_PAGE.deadlineNanos());
            assertEquals(3, m.faults(FaultKind.DEADLINE_MISS) + m.hostOverloads());
            assertEquals(0, m.abandonedWorkers());
        }
    }

    @Test
    void memoryBombIsHeldAtTheCap() {
        try (SandboxedModule m = sandbox("memory_bomb", new ModuleLimits(64, 200_000, 10))) {
            CallResult r = m.call("tick");

            assertTrue(r.ok(), r.toString());
            assertEquals(49, m.memoryPages(), "1 + 3 x 16 pages; the next grow of 16 would pass 64");
            assertEquals(49, m.call("pages").value(0));
        }
        try (SandboxedModule m = sandbox("memory_bomb", new ModuleLimits(4, 200_000, 10))) {
            assertTrue(m.call("tick").ok());
            assertTrue(m.memoryPages() <= 4);
        }
    }

    @Test
    void outOfBoundsLoadIsATrapAndTheModuleWorksAfterTheRebuild() {
        try (SandboxedModule m = sandbox("oob_load", ONE_PAGE)) {
            CallResult r = m.call("tick");

            assertEquals(FaultKind.TRAP, r.fault());
            assertEquals(ExitCode.MODULE_FAULT, r.fault().exitCode());
            assertTrue(r.detail().contains("out of bounds"), r.detail());
            assertEquals(0, m.call("init").value(0));
            assertEquals(1, m.rebuilds());
            assertEquals(1, m.faults());
        }
    }

    @Test
    void unboundedRecursionIsAStackOverflowAndTheModuleWorksAfter() {
        try (SandboxedModule m = sandbox("recursion", new ModuleLimits(1, 2_000_000, 10))) {
            CallResult r = m.call("tick");

            assertEquals(FaultKind.STACK_OVERFLOW, r.fault(), r.toString());
            assertEquals(0, m.call("init").value(0));
            assertEquals(FaultKind.STACK_OVERFLOW, m.call("tick").fault());
        }
    }

    @Test
    void trapStormFaultsEveryFifthTickAndTripsTheWindow() {
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        FaultWindow window = FaultWindow.defaults(clock);
        List<Integer> faultedTicks = new ArrayList<>();
        List<Integer> trippedAt = new ArrayList<>();
        try (SandboxedModule m = sandbox("trap_storm", ONE_PAGE)) {
            for (int tick = 1; tick <= 15; tick++) {
                clock.advance(Duration.ofMillis(10));
                CallResult r = m.call("tick");
                if (!r.ok()) {
                    assertEquals(FaultKind.TRAP, r.fault());
                    faultedTicks.add(tick);
                    if (window.record()) {
                        trippedAt.add(tick);
                    }
                }
            }
        }
        assertEquals(List.of(5, 10, 15), faultedTicks);
        assertEquals(List.of(15), trippedAt);
        assertTrue(window.tripped());
    }

    @Test
    void failingInitIsAFailedHealthCheck() {
        try (SandboxedModule m = sandbox("failing_init", ONE_PAGE)) {
            CallResult r = m.init();

            assertEquals(FaultKind.HEALTH_CHECK_FAILED, r.fault());
            assertEquals(ExitCode.MODULE_FAULT, r.fault().exitCode());
            assertEquals("init returned 1", r.detail());
        }
    }

    @Test
    void healthyInitPassesAndMissingInitCountsAsHealthy() {
        List<String> lines = new CopyOnWriteArrayList<>();
        HostEnvironment env = HostEnvironment.simulated().withLog((id, line) -> lines.add(id + ": " + line));
        try (SandboxedModule m = SandboxedModule.builder(Corpus.compiled("healthy_v1", "log,clock,can.read:120,can.write:220"))
                .id("healthy").limits(ONE_PAGE).environment(env).build()) {
            assertTrue(m.init().ok());
            assertEquals(List.of("healthy: healthy v1 init"), lines);
        }
        try (SandboxedModule m = sandbox("sha256", new ModuleLimits(2, 1_000_000, 10))) {
            assertTrue(m.init().ok(), "sha256 exports no init");
        }
    }

    @Test
    void hostAbiReachesTheBusAndClockEndToEnd() {
        AtomicLong micros = new AtomicLong(1_234_567);
        HostEnvironment env = HostEnvironment.simulated().withClock(micros::get);
        env.can().set(0x120, 21);
        try (SandboxedModule m = SandboxedModule.builder(Corpus.compiled("healthy_v1", "log,clock,can.read:120,can.write:220"))
                .id("healthy").limits(ONE_PAGE).environment(env).build()) {
            assertTrue(m.call("tick").ok());
            assertEquals(42, env.can().value(0x220).orElseThrow());
            assertEquals(List.of(new SimulatedCanBus.Frame(0x220, 42)), env.can().writes());
            assertEquals(1_234_567, m.call("last_us").value(0));
        }
    }

    @Test
    void refusesModuleWhoseInitialMemoryExceedsTheCap() {
        var e = assertThrows(RejectedException.class, () -> sandbox("sha256", new ModuleLimits(1, 1_000, 10)));
        assertEquals(HostPolicyFailure.MEMORY_LIMIT_EXCEEDED, e.reason());
    }

    @Test
    void workerThatIgnoresTheInterruptIsAbandonedAndReplaced() {
        AtomicBoolean stuck = new AtomicBoolean(true);
        LogSink uninterruptible = (id, line) -> {
            long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (stuck.get() && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        };
        HostEnvironment env = HostEnvironment.simulated().withLog(uninterruptible);
        try (SandboxedModule m = SandboxedModule.builder(Corpus.compiled("healthy_v1", "log,clock,can.read:120,can.write:220"))
                .id("stuck").limits(ONE_PAGE).environment(env).stopGrace(Duration.ofMillis(100)).build()) {
            long start = System.nanoTime();
            CallResult r = m.call("init");
            long waited = System.nanoTime() - start;
            stuck.set(false);

            assertEquals(FaultKind.DEADLINE_MISS, r.fault(), r.toString());
            assertTrue(r.detail().contains("abandoned"), r.detail());
            assertTrue(waited < Duration.ofMillis(700).toNanos(), "waited " + waited / 1_000_000 + " ms");
            assertEquals(1, m.abandonedWorkers());
            assertEquals(1, m.call("version").value(0), "a new worker serves the next call");
        }
    }

    @Test
    void lateInterruptNeverLeaksIntoTheNextCall() {
        try (SandboxedModule m = sandbox("runaway", new ModuleLimits(1, 300, 10))) {
            assertFalse(m.call("tick").ok(), "the first call, under the first call's budget");
            for (int i = 0; i < 200; i++) {
                Stops.assertStopped(m.call("tick"), 300_000);
                CallResult init = m.call("init");
                assertTrue(init.ok() || init.detail().contains("past its deadline"), "call " + i + ": " + init);
            }
        }
    }

    @Test
    void anyOtherFailureIsCaughtAtTheSandboxAndCounted() {
        HostEnvironment env = HostEnvironment.simulated().withLog((id, line) -> {
            throw new IllegalStateException("log sink broken");
        });
        try (SandboxedModule m = SandboxedModule.builder(Corpus.compiled("healthy_v1", "log,clock,can.read:120,can.write:220"))
                .id("broken-sink").limits(ONE_PAGE).environment(env).build()) {
            CallResult r = m.call("init");

            assertEquals(FaultKind.INTERNAL_ERROR, r.fault(), r.toString());
            assertEquals(ExitCode.INTERNAL, r.fault().exitCode());
            assertTrue(r.detail().contains("log sink broken"), r.detail());
            assertEquals(1, m.call("version").value(0));
        }
    }

    @Test
    void closeEndsTheWorkerThreadAndRefusesFurtherCalls() throws InterruptedException {
        SandboxedModule m = sandbox("empty", ONE_PAGE);
        m.call("tick");
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, () -> m.call("tick"));
        for (int i = 0; i < 100 && workerAlive("ecu-module-empty"); i++) {
            Thread.sleep(20);
        }
        assertFalse(workerAlive("ecu-module-empty"), "worker thread still running after close");
    }

    @Test
    void rejectsUnknownExportsAndWrongArityAtTheCaller() {
        try (SandboxedModule m = sandbox("empty", ONE_PAGE)) {
            assertThrows(IllegalArgumentException.class, () -> m.call("nope"));
            assertThrows(IllegalArgumentException.class, () -> m.call("tick", 1));
            assertEquals(0, m.calls());
        }
    }

    private static boolean workerAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}

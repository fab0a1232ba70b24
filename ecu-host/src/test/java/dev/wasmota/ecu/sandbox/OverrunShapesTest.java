package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every way a module can overrun its budget is stopped by the sandbox and counted against the
 * module: a plain loop, a loop calling a host function, deep recursion (no loop, no overflow), a
 * {@code memory.grow} loop, {@code init()}; a start function is refused before it can run. On one
 * scheduler beside healthy modules, each overrunning tick is stopped and the healthy modules keep
 * their deadlines.
 */
class OverrunShapesTest {
    private static final long DEADLINE_NANOS = Duration.ofMillis(5).toNanos();
    /** Generous for a loaded 2-core CI machine, yet far below "never stopped". */
    private static final long STOP_SLACK_NANOS = Duration.ofMillis(300).toNanos();
    private static final List<String> SHAPES = List.of("runaway", "overrun_host", "overrun_recursion", "overrun_grow");

    /** An overrunning module, given the CPU (see {@link Stops#onTheCpu()}). */
    private static SandboxedModule sandbox(String name, String caps, ModuleLimits limits) {
        return SandboxedModule.builder(Corpus.compiled(name, caps)).id(name).limits(limits).realtime(Stops.onTheCpu())
                .build();
    }

    private static String caps(String shape) {
        return shape.equals("overrun_host") ? "clock" : "";
    }

    @ParameterizedTest
    @CsvSource({"runaway", "overrun_host", "overrun_recursion", "overrun_grow"})
    void eachOverrunningTickIsStoppedAtItsDeadlineAndCountedAgainstTheModule(String shape) {
        ModuleLimits limits = new ModuleLimits(8, DEADLINE_NANOS / 1_000, 10);
        try (SandboxedModule m = sandbox(shape, caps(shape), limits)) {
            m.call("tick");
            for (int i = 0; i < 10; i++) {
                CallResult r = m.call("tick");
                Stops.assertStopped(r, DEADLINE_NANOS);
                assertTrue(r.elapsedNanos() < DEADLINE_NANOS + STOP_SLACK_NANOS, r::toString);
            }
            assertEquals(11, m.faults(FaultKind.DEADLINE_MISS) + m.hostOverloads(), "every tick stopped");
            assertTrue(m.faults(FaultKind.DEADLINE_MISS) >= 1, "counted against the module");
            assertEquals(0, m.call("init").value(0), "the module answers after each rebuild");
            assertEquals(0, m.abandonedWorkers(), "stopped by its own checks or the watchdog, never abandoned");
        }
    }

    @Test
    void aMemoryGrowLoopIsStoppedAtItsDeadlineWithoutExhaustingMemory() {
        try (SandboxedModule m = sandbox("overrun_grow", "", new ModuleLimits(8, DEADLINE_NANOS / 1_000, 10))) {
            assertTrue(m.call("init").ok());
            Stops.assertStopped(m.call("tick"), SandboxedModule.FIRST_CALL_BUDGET.toNanos());
            assertEquals(1, m.memoryPages(), "a fresh instance after the stop");
        }
    }

    @Test
    void anInitThatNeverReturnsIsStoppedAtTwiceTheHealthChecksBudgetAndBlamed() {
        try (SandboxedModule m = sandbox("init_spin", "", new ModuleLimits(1, 2_000, 10))) {
            CallResult r = m.init();

            long wall = SandboxedModule.INIT_WALL_BUDGETS * SandboxedModule.INIT_BUDGET.toNanos();
            Stops.assertStopped(r, SandboxedModule.INIT_BUDGET.toNanos(), wall);
            assertEquals(FaultKind.DEADLINE_MISS, r.fault(), () -> "a second of its own CPU time is over its budget: " + r);
            assertTrue(r.elapsedNanos() < wall + STOP_SLACK_NANOS, r::toString);
            assertTrue(m.call("tick").ok(), "tick still works");
        }
    }

    @Test
    void aStartFunctionIsRefusedBeforeAnyInstanceRunsIt() {
        long start = System.nanoTime();
        RejectedException e = assertThrows(RejectedException.class,
                () -> CompiledModule.compile(Corpus.bytes("start_spin.wasm"), CapabilitySet.EMPTY));

        assertEquals(PolicyFailure.INVALID_WASM, e.reason());
        assertTrue(e.getMessage().contains("has a start function"), e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "refused, not run");
    }

    @Test
    void everyShapeIsStoppedOnOneSchedulerWhileHealthyModulesKeepTheirDeadlines() throws InterruptedException {
        ModuleLimits overrun = new ModuleLimits(8, 2_000, 20);
        ModuleLimits healthy = new ModuleLimits(1, 5_000, 10);
        Map<String, ConcurrentLinkedQueue<CallResult>> results = new ConcurrentHashMap<>();
        HostEnvironment env = HostEnvironment.simulated().withLog((id, line) -> { });
        env.can().set(0x120, 21);
        List<SandboxedModule> modules = new java.util.ArrayList<>();
        try (Scheduler scheduler = Scheduler.builder()
                .faultWindows(() -> new FaultWindow(Integer.MAX_VALUE, Duration.ofMinutes(5), Clock.systemUTC()))
                .onResult((id, r) -> results.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>()).add(r)).build()) {
            for (String shape : SHAPES) {
                modules.add(sandbox(shape, caps(shape), overrun));
            }
            modules.add(SandboxedModule.builder(Corpus.compiled("healthy_v1", "log,clock,can.read:120,can.write:220"))
                    .id("healthy").limits(healthy).environment(env).build());
            modules.add(SandboxedModule.builder(Corpus.compiled("empty", "")).id("empty").limits(healthy).build());
            modules.forEach(scheduler::add);

            Map<String, ModuleStats> stats = scheduler.run(Duration.ofSeconds(2));

            for (String shape : SHAPES) {
                ModuleStats s = stats.get(shape);
                assertTrue(s.calls() >= 20, s::toString);
                assertEquals(s.calls(), s.deadlineMisses() + s.hostOverloads(), () -> "every tick stopped: " + s);
                assertTrue(s.deadlineMisses() >= 1, () -> "counted against the module: " + s);
                for (CallResult r : results.get(shape)) {
                    long budget = r.elapsedNanos() >= SandboxedModule.FIRST_CALL_BUDGET.toNanos()
                            ? SandboxedModule.FIRST_CALL_BUDGET.toNanos() : overrun.deadlineNanos();
                    Stops.assertStopped(r, budget);
                }
            }
            for (String id : List.of("healthy", "empty")) {
                ModuleStats s = stats.get(id);
                assertTrue(s.calls() >= 100, s::toString);
                assertEquals(0, s.faults(), () -> "no fault of its own beside the overruns: " + s);
            }
        } finally {
            modules.forEach(SandboxedModule::close);
        }
    }
}

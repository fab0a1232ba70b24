package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * A module that computes for 80 % of its budget is never stopped early and never blamed: the
 * stop comes only past the wall-clock deadline, and a call the host delayed past it is the host's
 * overload. spin_for.wasm's tick computes (calling {@code ecu.clock_us} in a loop) until as many
 * microseconds as CAN signal 0x100 says have passed, so it needs 80 % of its budget however
 * loaded the machine running the test is.
 */
class BusyModuleTest {
    private static final long DEADLINE_MICROS = 5_000;

    @Test
    void aModuleComputingForEightyPercentOfItsBudgetIsNeverStoppedEarlyNorBlamed() throws InterruptedException {
        ModuleLimits limits = new ModuleLimits(1, DEADLINE_MICROS, 10);
        ConcurrentLinkedQueue<CallResult> results = new ConcurrentLinkedQueue<>();
        try (SandboxedModule busy = SandboxedModule.builder(Corpus.compiled("spin_for", "clock,can.read:100")).id("busy")
                        .limits(limits).build();
                Scheduler scheduler = Scheduler.builder()
                        .faultWindows(() -> new FaultWindow(1, Duration.ofMinutes(5), Clock.systemUTC()))
                        .onResult((id, r) -> results.add(r)).build()) {
            busy.environment().can().set(0x100, DEADLINE_MICROS * 80 / 100);
            scheduler.add(busy);

            ModuleStats s = scheduler.run(Duration.ofSeconds(3)).get("busy");

            // 300 periods of 10 ms; a loaded machine (a parallel build) skips many, yet enough calls run to judge
            assertTrue(s.calls() >= 50, s::toString);
            assertEquals(0, s.faults(), () -> "never blamed: " + s + " " + results);
            long overloads = 0;
            for (CallResult r : results) {
                if (!r.ok()) {
                    overloads++;
                    assertEquals(FaultKind.HOST_OVERLOAD, r.fault(), r::toString);
                    assertTrue(r.elapsedNanos() >= limits.deadlineNanos(), () -> "stopped before its deadline: " + r);
                } else {
                    assertTrue(r.elapsedNanos() >= limits.deadlineNanos() * 80 / 100, () -> "it did compute: " + r);
                }
            }
            assertEquals(overloads, s.hostOverloads(), s::toString);
        }
    }
}

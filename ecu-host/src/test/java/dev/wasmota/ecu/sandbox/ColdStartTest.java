package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ColdStartTest {
    /** No call of large_100k's checksum (365 indirect calls) returns within 1 us. */
    private static final ModuleLimits ONE_MICROSECOND = new ModuleLimits(16, 1, 10);
    private static final long STOP_SLACK_NANOS = Duration.ofMillis(300).toNanos();

    @Test
    void aCallOverItsDeadlineButWithinTheColdStartBudgetIsNotAFault() {
        ColdStart firstFive = new ColdStart(5, Duration.ZERO, Duration.ofMillis(100));
        try (SandboxedModule m = sandbox("large_100k", "log", ONE_MICROSECOND, firstFive)) {
            for (int call = 0; call < 5; call++) {
                CallResult r = m.call("checksum");
                assertTrue(r.ok(), "call " + call + " under the cold-start allowance: " + r);
                assertTrue(r.elapsedNanos() > ONE_MICROSECOND.deadlineNanos(), r.toString());
            }
            assertEquals(FaultKind.DEADLINE_MISS, m.call("checksum").fault(), "after the allowance, the deadline");
        }
    }

    @Test
    void withoutAColdStartAllowanceOnlyTheFirstCallHasAnAllowance() {
        try (SandboxedModule m = sandbox("large_100k", "log", ONE_MICROSECOND, ColdStart.NONE)) {
            assertTrue(m.call("checksum").ok(), "the first call's allowance");
            assertEquals(FaultKind.DEADLINE_MISS, m.call("checksum").fault());
        }
    }

    @Test
    void aRunawayUnderTheColdStartAllowanceIsStoppedAtTheColdStartBudget() {
        ColdStart coldStart = new ColdStart(10, Duration.ZERO, Duration.ofMillis(20));
        try (SandboxedModule m = sandbox("runaway", "", new ModuleLimits(1, 2_000, 10), coldStart)) {
            m.call("tick");
            CallResult r = m.call("tick");

            Stops.assertStopped(r, Duration.ofMillis(20).toNanos());
            assertTrue(r.elapsedNanos() < Duration.ofMillis(20).toNanos() + STOP_SLACK_NANOS, r.toString());
            assertEquals(2, m.faults(FaultKind.DEADLINE_MISS) + m.hostOverloads());
        }
    }

    @Test
    void lastsItsCallsAndItsLengthWhicheverEndsLater() {
        ColdStart p = new ColdStart(3, Duration.ofSeconds(2), Duration.ofMillis(20));

        assertTrue(p.covers(2, Duration.ofSeconds(5).toNanos()), "within its calls");
        assertTrue(p.covers(50, Duration.ofSeconds(1).toNanos()), "within its length");
        assertFalse(p.covers(3, Duration.ofSeconds(2).toNanos()), "past both");
        assertFalse(ColdStart.NONE.covers(1, 0));
    }

    @Test
    void refusesABudgetOverTheFirstCallsOrANegativeValue() {
        assertThrows(IllegalArgumentException.class, () -> new ColdStart(1, Duration.ZERO,
                SandboxedModule.FIRST_CALL_BUDGET.plusMillis(1)));
        assertThrows(IllegalArgumentException.class, () -> new ColdStart(-1, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new ColdStart(1, Duration.ofSeconds(-1), Duration.ZERO));
    }

    private static SandboxedModule sandbox(String name, String caps, ModuleLimits limits, ColdStart coldStart) {
        return SandboxedModule.builder(Corpus.compiled(name, caps)).id(name).limits(limits)
                .environment(HostEnvironment.simulated().withLog((id, line) -> { })).coldStart(coldStart).build();
    }
}

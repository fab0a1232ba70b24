package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Assertions on a call that overran: stopped, never before its wall-clock limit, and judged by
 * its own CPU time: the module's {@link FaultKind#DEADLINE_MISS} when it used at least
 * {@link FaultKind#BLAMED_CPU_PERCENT} % of its budget, else {@link FaultKind#HOST_OVERLOAD} (a
 * test machine loaded by other work can starve a runaway; on an idle one it is always a miss).
 */
public final class Stops {
    private Stops() {
    }

    public static void assertStopped(CallResult r, long budgetNanos, long wallLimitNanos) {
        assertFalse(r.ok(), r::toString);
        assertTrue(r.elapsedNanos() >= wallLimitNanos, () -> "stopped before its limit: " + r);
        FaultKind expected = CallVerdict.blamed(r.cpuNanos(), budgetNanos) ? FaultKind.DEADLINE_MISS : FaultKind.HOST_OVERLOAD;
        assertEquals(expected, r.fault(), () -> "judged by its CPU time: " + r);
    }

    public static void assertStopped(CallResult r, long budgetNanos) {
        assertStopped(r, budgetNanos, budgetNanos);
    }

    /** Whether the call was the module's fault (a miss), as opposed to the host's overload. */
    public static boolean blamed(CallResult r) {
        return r.fault() == FaultKind.DEADLINE_MISS;
    }
}

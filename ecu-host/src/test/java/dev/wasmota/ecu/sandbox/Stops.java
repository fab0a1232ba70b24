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
    private static Realtime onTheCpu;

    private Stops() {
    }

    /**
     * The scheduling that lets an overrunning module have the CPU in a test even while other work
     * loads the machine: {@code SCHED_FIFO} where this process may use it (root or CAP_SYS_NICE,
     * as on this project's machines and CI), ordinary scheduling elsewhere. A runaway counts
     * against itself only when it had the CPU for 90 % of its budget; a test that checks it is
     * counted gives it the CPU, rather than depend on what else runs.
     */
    public static synchronized Realtime onTheCpu() {
        if (onTheCpu == null) {
            onTheCpu = probe();
        }
        return onTheCpu;
    }

    private static Realtime probe() {
        Realtime fifo = Realtime.fifo(1);
        boolean[] ok = {false};
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                fifo.enter();
                ok[0] = true;
            }
        }, "fifo-probe");
        t.setUncaughtExceptionHandler((thread, e) -> { });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Realtime.OFF;
        }
        return ok[0] ? fifo : Realtime.OFF;
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

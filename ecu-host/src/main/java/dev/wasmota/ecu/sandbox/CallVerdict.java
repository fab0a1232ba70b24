package dev.wasmota.ecu.sandbox;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Judges one finished call: what the module did is measured in the worker thread's own CPU time,
 * what the host did in wall time. A call within its wall-clock limit and its budget is ok; a call
 * stopped or late is the module's {@link FaultKind#DEADLINE_MISS} only if it used at least
 * {@link FaultKind#BLAMED_CPU_PERCENT} % of its budget itself, and the host's
 * {@link FaultKind#HOST_OVERLOAD} otherwise; a call that used more CPU than its budget within a
 * relaxed wall-clock limit (intake) is a miss too; any other failure is named by {@link FaultClassifier}.
 */
final class CallVerdict {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();

    private CallVerdict() {
    }

    /** The current thread's CPU time in nanoseconds, or -1 when the JVM cannot tell. */
    static long cpuNow() {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /**
     * @param failure what the call threw, or null if it returned
     * @param expired whether the watchdog stopped it
     */
    static CallResult judge(CallTicket t, long[] values, Throwable failure, boolean expired, long elapsed, long cpu,
            boolean closing, String moduleId) {
        boolean stopped = expired || failure != null && FaultClassifier.kind(failure, false) == FaultKind.DEADLINE_MISS;
        long over = elapsed - t.wallLimitNanos;
        if (stopped || over > 0) {
            return late(t, failure == null ? "returned" : "was stopped", elapsed, over, cpu);
        }
        if (failure == null && cpu > t.deadlineNanos) {
            return CallResult.fault(t.export, FaultKind.DEADLINE_MISS, "used " + cpu / 1_000
                    + " us of CPU time, over its budget of " + t.deadlineNanos / 1_000 + " us", elapsed, 0, cpu);
        }
        if (failure == null) {
            return CallResult.ok(t.export, values, elapsed, cpu);
        }
        FaultKind kind = FaultClassifier.kind(failure, false);
        String detail = closing ? "stopped: sandbox closing" : FaultClassifier.detail(failure);
        if (kind == FaultKind.INTERNAL_ERROR) {
            System.getLogger(CallVerdict.class.getName()).log(System.Logger.Level.WARNING,
                    "module " + moduleId + ": unexpected failure in " + t.export, failure);
        }
        return CallResult.fault(t.export, kind, detail, elapsed, 0, cpu);
    }

    private static CallResult late(CallTicket t, String how, long elapsed, long over, long cpu) {
        String past = how + " " + Math.max(0, over) / 1_000 + " us past its deadline of " + t.wallLimitNanos / 1_000 + " us";
        if (blamed(cpu, t.deadlineNanos)) {
            return CallResult.fault(t.export, FaultKind.DEADLINE_MISS, past + " (" + cpu / 1_000 + " us of CPU time)",
                    elapsed, over, cpu);
        }
        return CallResult.fault(t.export, FaultKind.HOST_OVERLOAD, past + " after only " + cpu / 1_000
                + " us of CPU time of its own (budget " + t.deadlineNanos / 1_000 + " us): the host did not give it the CPU",
                elapsed, over, cpu);
    }

    /** Whether {@code cpu} is at least {@link FaultKind#BLAMED_CPU_PERCENT} % of {@code budget}. */
    static boolean blamed(long cpu, long budget) {
        return cpu * 100 >= budget * FaultKind.BLAMED_CPU_PERCENT;
    }
}

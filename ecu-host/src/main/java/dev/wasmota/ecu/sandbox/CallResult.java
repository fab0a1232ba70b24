package dev.wasmota.ecu.sandbox;

import java.util.Arrays;

/**
 * The outcome of one call into a module: its results, or the fault that ended it. Faults are
 * values, never exceptions, so a caller cannot forget to count them.
 *
 * @param export the exported function called
 * @param fault why the call failed, or {@code null} when it returned normally
 * @param values the results as Chicory passes them (i32 sign-extended to long); empty on a fault
 * @param detail a one-line explanation of the fault; empty when ok
 * @param elapsedNanos wall time of the guest call on the module's worker
 * @param overshootNanos for a call stopped or returned past its wall-clock limit, how far past it the call ended; else 0
 * @param cpuNanos the worker thread's own CPU time during the call, what the module is judged on: measured
 *     for every call under a wall-clock allowance (intake), and on the vehicle for a late or failed call
 *     (from 50 µs into it, the time before counted as CPU); for an ok call within its wall-clock budget
 *     (nothing to judge), and where the JVM cannot measure thread CPU time, the wall time, an upper bound
 */
public record CallResult(String export, FaultKind fault, long[] values, String detail, long elapsedNanos,
        long overshootNanos, long cpuNanos) {
    private static final long[] NONE = new long[0];

    public CallResult {
        values = values == null || values.length == 0 ? NONE : values.clone();
        detail = detail == null ? "" : detail;
    }

    static CallResult ok(String export, long[] values, long elapsedNanos, long cpuNanos) {
        return new CallResult(export, null, values, "", elapsedNanos, 0, cpuNanos);
    }

    static CallResult ok(String export, long[] values, long elapsedNanos) {
        return ok(export, values, elapsedNanos, elapsedNanos);
    }

    static CallResult fault(String export, FaultKind kind, String detail, long elapsedNanos, long overshootNanos,
            long cpuNanos) {
        return new CallResult(export, kind, NONE, detail, elapsedNanos, Math.max(0, overshootNanos), cpuNanos);
    }

    static CallResult fault(String export, FaultKind kind, String detail, long elapsedNanos, long overshootNanos) {
        return fault(export, kind, detail, elapsedNanos, overshootNanos, elapsedNanos);
    }

    public boolean ok() {
        return fault == null;
    }

    @Override
    public long[] values() {
        return values.clone();
    }

    /** Result {@code i}; the caller checked {@link #ok()}. */
    public long value(int i) {
        return values[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CallResult r && export.equals(r.export) && fault == r.fault
                && Arrays.equals(values, r.values) && detail.equals(r.detail)
                && elapsedNanos == r.elapsedNanos && overshootNanos == r.overshootNanos && cpuNanos == r.cpuNanos;
    }

    @Override
    public int hashCode() {
        return export.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        String time = " in " + elapsedNanos / 1_000 + " us";
        return ok() ? export + " -> " + Arrays.toString(values) + time
                : export + " -> " + fault + " (" + detail + ")" + time
                        + (overshootNanos > 0 ? ", " + overshootNanos / 1_000 + " us past the deadline" : "");
    }
}

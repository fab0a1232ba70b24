package dev.wasmota.oem.vectors;

import dev.wasmota.ecu.sandbox.FaultKind;
import java.util.List;

/**
 * The outcome of one vector case.
 *
 * @param index the case's position in the file
 * @param label {@code case N (name)}
 * @param passed every call returned, with the expected values if any were given
 * @param calls calls made (a failing case stops at its first failure)
 * @param expected the expected values as text, empty when none were given
 * @param actual the values of the last call made, as text
 * @param fault the fault that ended a call, or null
 * @param detail why the case failed; empty when it passed
 * @param worstCallNanos the longest call of the case (wall time)
 * @param worstCpuNanos the most CPU time of its own a call of the case used (the worker thread's)
 */
public record CaseResult(int index, String label, boolean passed, int calls, List<String> expected,
        List<String> actual, FaultKind fault, String detail, long worstCallNanos, long worstCpuNanos) {
    public CaseResult {
        expected = List.copyOf(expected);
        actual = List.copyOf(actual);
    }

    @Override
    public String toString() {
        return label + (passed ? ": pass" : ": FAIL " + detail);
    }
}

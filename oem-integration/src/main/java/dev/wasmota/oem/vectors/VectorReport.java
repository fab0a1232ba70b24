package dev.wasmota.oem.vectors;

import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import java.util.List;

/**
 * The outcome of a vector file run in a sandbox: every case, the worst call time seen (what
 * intake records against the manifest's deadline), and the lines the module logged.
 */
public record VectorReport(List<CaseResult> cases, long worstCallNanos, long wallNanos, List<String> log) {
    public VectorReport {
        cases = List.copyOf(cases);
        log = List.copyOf(log);
    }

    public boolean passed() {
        return cases.stream().allMatch(CaseResult::passed);
    }

    public List<CaseResult> failures() {
        return cases.stream().filter(c -> !c.passed()).toList();
    }

    /**
     * Refuses a run with a failed case: the first failure's fault (a trap, a deadline miss, ...)
     * or {@link VectorFailure#VECTOR_FAILED}, both exit 5.
     */
    public void requirePassed() {
        if (passed()) {
            return;
        }
        CaseResult first = failures().get(0);
        Reason reason = first.fault() != null ? first.fault() : VectorFailure.VECTOR_FAILED;
        int more = failures().size() - 1;
        throw new RejectedException(reason, first.label() + ": " + first.detail()
                + (more > 0 ? " (and " + more + " more failed cases)" : ""));
    }
}

package dev.wasmota.oem.intake;

import dev.wasmota.contract.error.RejectedException;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a supplier's rehearsal of the intake ({@link IntakeRehearsal}): the report, in the
 * OEM's format, and the refusal the OEM's intake would make, if any. Never a release: only the
 * OEM countersigns.
 *
 * @param report what every check found; the OEM-only checks are skipped
 * @param rejection the refusal, when a check refused
 */
public record RehearsalResult(IntakeReport report, Optional<RejectedException> rejection) {
    public RehearsalResult {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(rejection, "rejection");
    }

    /** Whether every check that ran passed. */
    public boolean passed() {
        return rejection.isEmpty();
    }

    /** @throws RejectedException the refusal, when a check refused */
    public void requirePassed() {
        if (rejection.isPresent()) {
            throw rejection.get();
        }
    }
}

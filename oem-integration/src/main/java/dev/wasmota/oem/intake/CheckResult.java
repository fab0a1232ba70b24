package dev.wasmota.oem.intake;

import java.util.Objects;

/**
 * How one intake check ended.
 *
 * @param check the check
 * @param status how it ended
 * @param detail one line: what was found, or why it refused
 * @param nanos wall time the check took (0 when it did not run)
 */
public record CheckResult(IntakeCheck check, Status status, String detail, long nanos) {
    /** How a check ended. */
    public enum Status {
        /** The check ran and passed. */
        OK("ok"),
        /** The check ran and refused the package. */
        FAILED("failed"),
        /** The check had nothing to run on (e.g. no test vectors were given). */
        SKIPPED("skipped"),
        /** An earlier check refused the package, so this one never ran. */
        NOT_RUN("not-run");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public CheckResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
    }

    public double millis() {
        return nanos / 1e6;
    }
}

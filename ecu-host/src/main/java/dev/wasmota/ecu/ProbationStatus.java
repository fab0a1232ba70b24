package dev.wasmota.ecu;

import java.time.Duration;

/**
 * Where a module's active slot stands in its confirmation step. A slot is confirmed once the
 * anti-rollback floor has reached its security version; until then it is on probation, and the
 * floor stays at its rollback target's security version so the host can still fall back by itself.
 *
 * @param moduleId the module
 * @param version the active slot's version
 * @param securityVersion the active slot's security version
 * @param floor the module's anti-rollback floor
 * @param served how long the active slot has run without a rollback (zero once confirmed)
 * @param required how long it must run so (the host's fault window)
 */
public record ProbationStatus(String moduleId, String version, long securityVersion, long floor, Duration served,
                              Duration required) {

    /** Whether the active slot is confirmed: the floor is at its security version. */
    public boolean confirmed() {
        return floor >= securityVersion;
    }

    /** {@code confirmed}, or {@code probation:SERVED/REQUIRED} in whole seconds, e.g. {@code probation:42s/300s}. */
    public String label() {
        return confirmed() ? "confirmed" : "probation:" + served.toSeconds() + "s/" + required.toSeconds() + "s";
    }
}

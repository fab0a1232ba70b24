package dev.wasmota.ecu;

import dev.wasmota.ecu.slots.Slot;
import java.util.Optional;

/**
 * What an install did.
 *
 * @param moduleId the module
 * @param version the version now active
 * @param fromVersion the version that was active before, if any
 * @param slot the slot now active
 * @param outcome whether anything changed
 * @param compileMillis time spent compiling (0 when the compiled module was shared)
 * @param totalMillis time from package bytes to committed
 */
public record InstallResult(String moduleId, String version, Optional<String> fromVersion, Slot slot, Outcome outcome,
                            double compileMillis, double totalMillis) {

    /** Whether an install changed the active slot. */
    public enum Outcome {
        /** The package was verified, staged, health-checked and committed. */
        COMMITTED,
        /** The same package was already active: nothing was changed. */
        ALREADY_ACTIVE
    }
}

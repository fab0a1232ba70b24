package dev.wasmota.ecu;

import java.util.Optional;

/**
 * Where an install came from, for the audit record: the campaign and the signed instruction that
 * asked for it, if any.
 */
public record InstallContext(Optional<String> campaignId, Optional<String> instructionId, String actor) {
    /** An install by hand, outside any campaign. */
    public static InstallContext manual() {
        return new InstallContext(Optional.empty(), Optional.empty(), "cli");
    }
}

package dev.wasmota.oem.rxswin;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.manifest.Manifest;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One entry of the OEM's RXSWIN register (UN R156 7.1.1): for vehicles of one hardware id (the
 * vehicle type the approval covers), the software identification number and exactly which module
 * versions make it up.
 *
 * @param hardwareId the vehicle type (hardware id) it applies to
 * @param id the RXSWIN, {@link Instruction#RXSWIN}
 * @param modules module id to version, at least one
 * @param description one line for people (what it is, its approval), may be empty
 * @param definedAt when it was registered
 */
public record Rxswin(String hardwareId, String id, SortedMap<String, String> modules, String description,
                     Instant definedAt) {
    /** Most modules one RXSWIN names. */
    public static final int MAX_MODULES = 32;
    /** Longest description. */
    public static final int MAX_DESCRIPTION = 500;

    public Rxswin {
        require(hardwareId != null && Manifest.HARDWARE_ID.matcher(hardwareId).matches(), "hardware id '" + hardwareId + "'");
        requireId(id);
        require(modules != null && !modules.isEmpty() && modules.size() <= MAX_MODULES,
                "an RXSWIN names 1.." + MAX_MODULES + " modules");
        modules.forEach((m, v) -> {
            require(Manifest.ID.matcher(m).matches(), "module id '" + m + "'");
            require(v.length() <= Manifest.MAX_VERSION_LENGTH && Manifest.SEMVER.matcher(v).matches(),
                    "version '" + v + "' of " + m);
        });
        modules = Collections.unmodifiableSortedMap(new TreeMap<>(modules));
        description = description == null ? "" : description.strip();
        require(description.length() <= MAX_DESCRIPTION && description.chars().noneMatch(Character::isISOControl),
                "description (one line, at most " + MAX_DESCRIPTION + " characters)");
    }

    /** Whether a vehicle running {@code running} (module id to version) runs exactly this RXSWIN's module versions. */
    public boolean matches(Map<String, String> running) {
        return modules.entrySet().stream().allMatch(e -> e.getValue().equals(running.get(e.getKey())));
    }

    /** Refuses ({@link RxswinFailure#MALFORMED_RXSWIN}) an id that is not {@link Instruction#RXSWIN}. */
    public static String requireId(String id) {
        require(id != null && Instruction.RXSWIN.matcher(id).matches(), "RXSWIN '" + id + "' is not "
                + Instruction.RXSWIN.pattern());
        return id;
    }

    static void require(boolean ok, String what) {
        if (!ok) {
            throw new RejectedException(RxswinFailure.MALFORMED_RXSWIN, "invalid " + what);
        }
    }
}

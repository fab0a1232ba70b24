package dev.wasmota.ecu.slots;

import dev.wasmota.contract.error.RejectedException;
import java.util.regex.Pattern;

/** The rule for module ids on the host: a lowercase name that is always one plain directory name. */
public final class ModuleIds {
    /** The manifest's module id rule: lowercase letters and digits, then up to 63 of those or {@code . _ -}. */
    public static final Pattern PATTERN = dev.wasmota.signing.manifest.Manifest.ID;

    private ModuleIds() {}

    /** Whether {@code id} is a valid module id. */
    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }

    /** Returns {@code id}, or refuses it with {@link SlotFailure#INVALID_MODULE_ID}. */
    public static String requireValid(String id) {
        if (!isValid(id)) {
            throw new RejectedException(SlotFailure.INVALID_MODULE_ID,
                    "module id " + quoted(id) + " does not match " + PATTERN.pattern());
        }
        return id;
    }

    private static String quoted(String id) {
        if (id == null) {
            return "null";
        }
        String shown = id.length() > 80 ? id.substring(0, 80) + "..." : id;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}

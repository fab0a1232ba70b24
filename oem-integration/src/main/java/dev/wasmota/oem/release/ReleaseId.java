package dev.wasmota.oem.release;

import dev.wasmota.signing.manifest.Manifest;

/**
 * A release's name, {@code MODULE@VERSION}: the module id and its semantic version.
 *
 * @param moduleId the module id
 * @param version the module's semantic version
 */
public record ReleaseId(String moduleId, String version) {
    public ReleaseId {
        if (moduleId == null || !Manifest.ID.matcher(moduleId).matches()) {
            throw new IllegalArgumentException("module id '" + moduleId + "' is not " + Manifest.ID.pattern());
        }
        if (version == null || version.length() > Manifest.MAX_VERSION_LENGTH || !Manifest.SEMVER.matcher(version).matches()) {
            throw new IllegalArgumentException("version '" + version + "' is not a semantic version");
        }
    }

    /** Parses {@code MODULE@VERSION}; throws {@link IllegalArgumentException} naming what is wrong. */
    public static ReleaseId parse(String text) {
        int at = text == null ? -1 : text.indexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("'" + text + "' is not MODULE@VERSION, e.g. brake-temp@1.2.0");
        }
        return new ReleaseId(text.substring(0, at), text.substring(at + 1));
    }

    @Override
    public String toString() {
        return moduleId + "@" + version;
    }
}

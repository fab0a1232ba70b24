package dev.wasmota.ecu.slots;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the host records about the package in a slot, so it can check the bytes on disk and tell
 * versions apart without parsing the package again.
 *
 * @param version the module's version (semver text)
 * @param securityVersion the module's anti-rollback security version
 * @param wasmSha256 hex SHA-256 of the module's {@code .wasm}
 * @param packageSha256 hex SHA-256 of the whole package file in the slot
 * @param installedAt when the package was staged
 */
public record SlotMetadata(
        String version, long securityVersion, String wasmSha256, String packageSha256, Instant installedAt) {
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_VERSION_LENGTH = 128;

    public SlotMetadata {
        Objects.requireNonNull(version, "version");
        if (version.isBlank() || version.length() > MAX_VERSION_LENGTH) {
            throw new IllegalArgumentException("version must be 1.." + MAX_VERSION_LENGTH + " characters");
        }
        if (securityVersion < 0) {
            throw new IllegalArgumentException("securityVersion must not be negative: " + securityVersion);
        }
        requireSha256("wasmSha256", wasmSha256);
        requireSha256("packageSha256", packageSha256);
        Objects.requireNonNull(installedAt, "installedAt");
    }

    /** Metadata for {@code packageBytes}, computing its {@code packageSha256}. */
    public static SlotMetadata forPackage(
            byte[] packageBytes, String version, long securityVersion, String wasmSha256, Instant installedAt) {
        return new SlotMetadata(version, securityVersion, wasmSha256, sha256Hex(packageBytes), installedAt);
    }

    static String sha256Hex(byte[] data) {
        return dev.wasmota.contract.Digests.sha256Hex(data);
    }

    private static void requireSha256(String name, String value) {
        if (value == null || !HEX_SHA256.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be 64 lowercase hex digits");
        }
    }
}

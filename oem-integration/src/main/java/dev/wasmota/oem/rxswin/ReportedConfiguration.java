package dev.wasmota.oem.rxswin;

import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A vehicle's configuration as its signed status report stated it: the RXSWIN it knows (none
 * before its first update that set one) and each installed module's version and package digest.
 *
 * @param vehicleId the vehicle
 * @param rxswin its RXSWIN, if it knows one
 * @param modules module id to its version and package digest
 * @param instructionId the instruction the report answered
 * @param reportedAt when the vehicle reported it (its clock)
 */
public record ReportedConfiguration(String vehicleId, Optional<String> rxswin, SortedMap<String, Module> modules,
                                    String instructionId, Instant reportedAt) {
    /** One installed module: its active version and the digest of its package. */
    public record Module(String version, String packageSha256) {
    }

    public ReportedConfiguration {
        rxswin.ifPresent(Rxswin::requireId);
        modules = Collections.unmodifiableSortedMap(new TreeMap<>(modules));
    }

    /** Module id to version. */
    public SortedMap<String, String> versions() {
        SortedMap<String, String> out = new TreeMap<>();
        modules.forEach((m, v) -> out.put(m, v.version()));
        return out;
    }
}

package dev.wasmota.ecu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.signing.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Who this ECU is: its hardware id (matched against a package's hardware ids) and the vehicle it
 * sits in. Provisioned once into {@code STATE/ecu.json}; never changed by an update.
 */
public record HostIdentity(String hardwareId, String vehicleId) {
    public static final String FILE = "ecu.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public HostIdentity {
        if (hardwareId == null || !Manifest.HARDWARE_ID.matcher(hardwareId).matches()) {
            throw new IllegalArgumentException("hardware id '" + hardwareId + "' is not " + Manifest.HARDWARE_ID.pattern());
        }
        if (vehicleId == null || !Manifest.HARDWARE_ID.matcher(vehicleId).matches()) {
            throw new IllegalArgumentException("vehicle id '" + vehicleId + "' is not " + Manifest.HARDWARE_ID.pattern());
        }
    }

    /** The identity stored in {@code stateDir}, if provisioned. */
    public static Optional<HostIdentity> load(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode n = JSON.readTree(DurableFiles.readBounded(file, 4096));
        try {
            return Optional.of(new HostIdentity(n.path("hardwareId").asText(null), n.path("vehicleId").asText(null)));
        } catch (IllegalArgumentException e) {
            throw new RejectedException(UpdateFailure.IDENTITY_UNKNOWN, file + " is damaged: " + e.getMessage());
        }
    }

    /**
     * The provisioned identity, provisioning {@code wanted} on first use. A different identity
     * than the stored one is refused: an ECU does not change hardware.
     */
    public static Optional<HostIdentity> provision(Path stateDir, Optional<HostIdentity> wanted) throws IOException {
        Optional<HostIdentity> stored = load(stateDir);
        if (stored.isPresent() && wanted.isPresent() && !stored.get().equals(wanted.get())) {
            throw new RejectedException(UpdateFailure.IDENTITY_UNKNOWN, "this ECU is provisioned as " + stored.get()
                    + ", not " + wanted.get());
        }
        if (stored.isEmpty() && wanted.isPresent()) {
            ObjectNode o = JSON.createObjectNode().put("hardwareId", wanted.get().hardwareId())
                    .put("vehicleId", wanted.get().vehicleId());
            DurableFiles.createDirectories(stateDir);
            DurableFiles.writeAtomic(stateDir.resolve(FILE), CanonicalJson.bytes(o));
            return wanted;
        }
        return stored;
    }

    @Override
    public String toString() {
        return "hardware " + hardwareId + ", vehicle " + vehicleId;
    }
}

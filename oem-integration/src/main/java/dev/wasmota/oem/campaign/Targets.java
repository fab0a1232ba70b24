package dev.wasmota.oem.campaign;

import dev.wasmota.signing.manifest.Manifest;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Which vehicles a campaign is for: an explicit list of registered vehicle ids (rolled out in the
 * order given, so the first ones are the canaries), or every registered vehicle with a hardware id
 * (in vehicle id order). Exactly one of the two is set.
 *
 * @param vehicleIds the vehicles named, in order; empty when targeting by hardware id
 * @param hardwareId the hardware id to match; empty when naming vehicles
 */
public record Targets(List<String> vehicleIds, Optional<String> hardwareId) {
    public Targets {
        vehicleIds = List.copyOf(vehicleIds);
        if (vehicleIds.isEmpty() == hardwareId.isEmpty()) {
            throw new IllegalArgumentException("give either vehicle ids or a hardware id");
        }
        for (String v : vehicleIds) {
            requireId(v, "vehicle id");
        }
        if (new LinkedHashSet<>(vehicleIds).size() != vehicleIds.size()) {
            throw new IllegalArgumentException("a vehicle id is listed twice");
        }
        hardwareId.ifPresent(h -> requireId(h, "hardware id"));
    }

    /** The vehicles of a comma-separated list, e.g. {@code vin-1,vin-2}. */
    public static Targets vehicles(String list) {
        return vehicles(Arrays.stream(list.split(",", -1)).map(String::strip).toList());
    }

    public static Targets vehicles(List<String> ids) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("the vehicle list is empty");
        }
        return new Targets(ids, Optional.empty());
    }

    public static Targets hardware(String hardwareId) {
        return new Targets(List.of(), Optional.of(hardwareId));
    }

    @Override
    public String toString() {
        return hardwareId.map(h -> "hardware " + h).orElseGet(() -> vehicleIds.size() + " vehicles");
    }

    private static void requireId(String id, String what) {
        if (id == null || !Manifest.HARDWARE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " '" + id + "' is not " + Manifest.HARDWARE_ID.pattern());
        }
    }
}

package dev.wasmota.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** A simulator's share of the fleet, {@code --vehicle-ids FROM-TO} (one number for a single vehicle), within 1..N. */
public record VehicleIds(int first, int last) {
    /** The whole fleet's ids when {@code value} is null; a one-line refusal of {@code cmd} otherwise when it is not FROM-TO within 1..{@code vehicles}. */
    public static VehicleIds parse(CommandLine cmd, String value, int vehicles) {
        if (value == null) {
            return new VehicleIds(1, vehicles);
        }
        String[] r = value.split("-", 2);
        int first;
        int last;
        try {
            first = Integer.parseInt(r[0].trim());
            last = Integer.parseInt(r.length > 1 ? r[1].trim() : r[0].trim());
        } catch (NumberFormatException e) {
            throw new ParameterException(cmd, "--vehicle-ids must be FROM-TO, e.g. 1-500");
        }
        if (first < 1 || last < first || last > vehicles) {
            throw new ParameterException(cmd, "--vehicle-ids must lie within 1-" + vehicles + ", not " + value);
        }
        return new VehicleIds(first, last);
    }
}

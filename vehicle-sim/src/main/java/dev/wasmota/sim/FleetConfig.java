package dev.wasmota.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One simulator's share of a fleet.
 *
 * @param dir where vehicle state, the OEM directory (unless {@code oemDir}) and broker data go
 * @param vehicles the whole fleet's size (vehicle ids {@code veh-0001 .. veh-N})
 * @param firstVehicle first vehicle number this simulator runs (1-based, inclusive)
 * @param lastVehicle last vehicle number this simulator runs (inclusive)
 * @param brokerUrl an external broker; empty starts the embedded one
 * @param runsOem whether this simulator also runs the OEM and the supplier (one shard does)
 * @param oemDir an existing OEM directory to use (shards share one); empty creates one under {@code dir}
 * @param faults what to inject
 * @param seed randomness of fault draws
 * @param settings overrides of the routes' settings
 * @param runModules whether the hosts run their modules on their periods (off: install only, for capacity benchmarks)
 * @param oemDatabase the OEM's database URL when this simulator runs the OEM (e.g. a shared PostgreSQL);
 *        empty: the OEM directory's embedded database
 */
public record FleetConfig(Path dir, int vehicles, int firstVehicle, int lastVehicle, Optional<String> brokerUrl,
                          boolean runsOem, Optional<Path> oemDir, FaultSpec faults, long seed, Map<String, String> settings,
                          boolean runModules, Optional<String> oemDatabase) {
    public static final int MAX_VEHICLES = 100_000;

    public FleetConfig {
        Objects.requireNonNull(dir, "dir");
        List<String> problems = new ArrayList<>();
        if (vehicles < 1 || vehicles > MAX_VEHICLES) {
            problems.add("--vehicles must be 1.." + MAX_VEHICLES);
        }
        if (firstVehicle < 1 || lastVehicle < firstVehicle || lastVehicle > vehicles) {
            problems.add("--vehicle-ids " + firstVehicle + "-" + lastVehicle + " is not within 1-" + vehicles);
        }
        if (!runsOem && brokerUrl.isEmpty()) {
            problems.add("a simulator without the OEM needs the shared --broker");
        }
        if (!runsOem && oemDir.isEmpty()) {
            problems.add("a simulator without the OEM needs the shared --oem directory");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        settings = Map.copyOf(settings);
        Objects.requireNonNull(oemDatabase, "oemDatabase");
    }

    /** A share whose OEM (if it runs one) uses the OEM directory's embedded database. */
    public FleetConfig(Path dir, int vehicles, int firstVehicle, int lastVehicle, Optional<String> brokerUrl, boolean runsOem,
                       Optional<Path> oemDir, FaultSpec faults, long seed, Map<String, String> settings, boolean runModules) {
        this(dir, vehicles, firstVehicle, lastVehicle, brokerUrl, runsOem, oemDir, faults, seed, settings, runModules,
                Optional.empty());
    }

    public static FleetConfig of(Path dir, int vehicles) {
        return new FleetConfig(dir, vehicles, 1, vehicles, Optional.empty(), true, Optional.empty(), FaultSpec.none(), 1L,
                Map.of(), true);
    }

    public FleetConfig withFaults(FaultSpec spec, long seedValue) {
        return new FleetConfig(dir, vehicles, firstVehicle, lastVehicle, brokerUrl, runsOem, oemDir, spec, seedValue, settings, runModules,
                oemDatabase);
    }

    public FleetConfig withShard(int first, int last, boolean oem) {
        return new FleetConfig(dir, vehicles, first, last, brokerUrl, oem, oemDir, faults, seed, settings, runModules,
                oemDatabase);
    }

    public FleetConfig withBroker(Optional<String> url, Optional<Path> oem) {
        return new FleetConfig(dir, vehicles, firstVehicle, lastVehicle, url, runsOem, oem, faults, seed, settings, runModules,
                oemDatabase);
    }

    public FleetConfig withoutModulesRunning() {
        return new FleetConfig(dir, vehicles, firstVehicle, lastVehicle, brokerUrl, runsOem, oemDir, faults, seed, settings, false,
                oemDatabase);
    }

    /** This share's OEM on the database at {@code url} (e.g. a PostgreSQL its workers share). */
    public FleetConfig withOemDatabase(String url) {
        return new FleetConfig(dir, vehicles, firstVehicle, lastVehicle, brokerUrl, runsOem, oemDir, faults, seed, settings,
                runModules, Optional.of(url));
    }

    /** The routes settings ({@code ota.*}) of this share's OEM and vehicles. */
    public FleetConfig withSettings(Map<String, String> values) {
        return new FleetConfig(dir, vehicles, firstVehicle, lastVehicle, brokerUrl, runsOem, oemDir, faults, seed, Map.copyOf(values),
                runModules, oemDatabase);
    }

    public static String vehicleId(int n) {
        return String.format(java.util.Locale.ROOT, "veh-%04d", n);
    }
}

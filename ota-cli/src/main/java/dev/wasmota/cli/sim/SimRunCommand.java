package dev.wasmota.cli.sim;

import dev.wasmota.sim.FaultSpec;
import dev.wasmota.sim.FleetConfig;
import dev.wasmota.sim.FleetRun;
import dev.wasmota.sim.SimOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ota sim run}: a fleet run with fault injection and an HTML report. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a simulated fleet on the real pipeline with injected faults.",
                "%nThe OEM's simulator submits v1 and rolls it out to vehicles veh-0001..veh-N in waves; every vehicle is"
                        + " an ECU host with its own state, key and MQTT sessions. Several simulators can share one broker:"
                        + " give each --vehicle-ids FROM-TO, and all but one --vehicles-only with the shared --oem DIR.%n",
                "Faults (--faults KIND=N or KIND=P%%, comma-separated): power-loss, network-drop, duplicate, clock-skew,"
                        + " bad-module, slow-link.%n"})
public final class SimRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--vehicles", paramLabel = "N", required = true, description = "the whole fleet's size")
    int vehicles;

    @Option(names = "--vehicle-ids", paramLabel = "FROM-TO", description = "the vehicles this simulator runs (default: all)")
    String vehicleIds;

    @Option(names = "--broker", paramLabel = "URL", description = "an MQTT 5 broker (default: the embedded one)")
    String broker;

    @Option(names = "--vehicles-only", description = "run only vehicles; the OEM runs in another simulator (needs --broker and --oem)")
    boolean vehiclesOnly;

    @Option(names = "--oem", paramLabel = "DIR", description = "an existing OEM directory shared by the simulators")
    Path oemDir;

    @Option(names = "--db", paramLabel = "URL", description = "the OEM's database when this simulator runs the OEM, e.g."
            + " jdbc:postgresql://HOST/DB?user=ota (default: the OEM directory's embedded one)")
    String db;

    @Option(names = "--faults", paramLabel = "SPEC", defaultValue = "", description = "faults to inject (default: none)")
    String faults;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "randomness of the fault draws (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--waves", paramLabel = "PLAN", defaultValue = "10%,50%,100%", description = "wave plan (default: ${DEFAULT-VALUE})")
    String waves;

    @Option(names = "--hold", paramLabel = "DURATION", defaultValue = "0s", converter = dev.wasmota.cli.DurationConverter.class,
            description = "watch each wave this long before the next (default: ${DEFAULT-VALUE})")
    Duration hold;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = dev.wasmota.cli.DurationConverter.class,
            description = "give up waiting for the campaign after this (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "5m", converter = dev.wasmota.cli.DurationConverter.class,
            description = "with --vehicles-only: how long to serve (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--report", paramLabel = "FILE", defaultValue = "sim-report.html", description = "the HTML report (default: ${DEFAULT-VALUE})")
    Path report;

    @Option(names = "--work", paramLabel = "DIR", description = "where state goes (default: a new temporary directory)")
    Path work;

    @Option(names = "--corpus", paramLabel = "DIR", defaultValue = "${sys:ota.home:-.}/testdata/wasm",
            description = "the modules and vectors (default: ${DEFAULT-VALUE})")
    Path corpus;

    @Option(names = "--then", paramLabel = "WHAT", defaultValue = "nothing",
            description = "after v1: shadow (a v2 that agrees, delivered as a shadow and promoted) or call-time-regression"
                    + " (a v2 slower only on the highway, its campaign gated on the vehicles' runtime health; each wave"
                    + " held at least 30 s) (default: ${DEFAULT-VALUE})")
    String then;

    @Option(names = "--shadow-ticks", paramLabel = "N", defaultValue = "1000",
            description = "with --then shadow: compared ticks before promotion (default: ${DEFAULT-VALUE})")
    long shadowTicks;

    @Option(names = "--safe-execution", description = "each car activates an update only while it stands at a light"
            + " (speed 0) with its supply voltage above 11.5 V; otherwise it postpones and tries again (INSTALL_POSTPONED)")
    boolean safeExecution;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a routes setting (ota.*), repeatable")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (vehicles < 1 || vehicles > FleetConfig.MAX_VEHICLES) {
            throw new ParameterException(spec.commandLine(), "--vehicles must be 1.." + FleetConfig.MAX_VEHICLES);
        }
        dev.wasmota.cli.VehicleIds share = dev.wasmota.cli.VehicleIds.parse(spec.commandLine(), vehicleIds, vehicles);
        int first = share.first();
        int last = share.last();
        FleetConfig config;
        try {
            config = new FleetConfig(work != null ? Files.createDirectories(work) : Files.createTempDirectory("ota-sim-run"),
                    vehicles, first, last, Optional.ofNullable(broker), !vehiclesOnly, Optional.ofNullable(oemDir),
                    FaultSpec.parse(faults), seed, settings, true);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (db != null) {
            if (vehiclesOnly) {
                throw new ParameterException(spec.commandLine(), "--db is for the simulator that runs the OEM, not --vehicles-only");
            }
            config = config.withOemDatabase(db);
        }
        FleetRun.Then next = switch (then) {
            case "nothing" -> FleetRun.Then.NOTHING;
            case "shadow" -> FleetRun.Then.SHADOW;
            case "call-time-regression" -> FleetRun.Then.CALL_TIME_REGRESSION;
            default -> throw new ParameterException(spec.commandLine(), "--then must be nothing, shadow or"
                    + " call-time-regression, not '" + then + "'");
        };
        if (shadowTicks < 1 || shadowTicks > dev.wasmota.signing.instruction.ShadowDelivery.MAX_TICKS) {
            throw new ParameterException(spec.commandLine(), "--shadow-ticks must be 1.."
                    + dev.wasmota.signing.instruction.ShadowDelivery.MAX_TICKS);
        }
        if (safeExecution) {
            Files.writeString(config.dir().resolve(dev.wasmota.ecu.safety.SafeExecution.FILE),
                    dev.wasmota.ecu.safety.SafeExecution.DEFAULT.toJson());
        }
        FleetRun.Outcome o = FleetRun.run(config, new FleetRun.Plan(waves, hold, timeout, duration, next, shadowTicks), corpus,
                vehiclesOnly ? Optional.empty() : Optional.of(report), SimOutput.narrator(spec.commandLine().getOut()));
        return o.logsIntact() == o.vehicles() ? 0 : 1;
    }
}

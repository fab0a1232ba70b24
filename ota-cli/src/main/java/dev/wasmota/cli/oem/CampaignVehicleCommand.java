package dev.wasmota.cli.oem;

import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.Vehicle;
import dev.wasmota.cli.CliEnv;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota oem vehicle}: the vehicles campaigns can target; alone, it asks for a subcommand (exit 2). */
@Command(name = "vehicle", mixinStandardHelpOptions = true,
        description = {"Registers and provisions the vehicles campaigns can target.",
                "Each has a hardware id and the last instruction counter the OEM issued to it."})
public final class CampaignVehicleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The {@code vehicle} command line with its subcommands, to add under {@code ota oem}. */
    public static CommandLine commandLine(CliEnv env) {
        return new CommandLine(new CampaignVehicleCommand())
                .addSubcommand(new Register(env))
                .addSubcommand(new VehicleProvisionCommand(env))
                .addSubcommand(new ListVehicles(env));
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command; one of: " + String.join(", ", spec.subcommands().keySet()));
    }

    /** {@code ota oem vehicle register}. */
    @Command(name = "register", mixinStandardHelpOptions = true,
            description = {"Registers a vehicle and its ECU hardware id.",
                    "Registering it again with the same hardware id changes nothing; another is refused."})
    static final class Register extends CampaignBaseCommand {
        @Option(names = "--id", required = true, paramLabel = "V", description = "the vehicle id instructions name")
        String id;

        @Option(names = "--hardware", required = true, paramLabel = "H", description = "the ECU's hardware id")
        String hardware;

        Register(CliEnv env) {
            super(env);
        }

        @Override
        int run(CampaignWorkspace ws, PrintWriter out) {
            Vehicle v = ws.vehicles().register(id, hardware);
            out.printf("vehicle %s: hardware %s, last instruction counter %d%n", v.id(), v.hardwareId(), v.lastCounter());
            return 0;
        }
    }

    /** {@code ota oem vehicle list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"Lists the registered vehicles.", "Each with its hardware id and last instruction counter."})
    static final class ListVehicles extends CampaignBaseCommand {
        ListVehicles(CliEnv env) {
            super(env);
        }

        @Override
        int run(CampaignWorkspace ws, PrintWriter out) {
            List<Vehicle> all = ws.vehicles().list();
            out.printf("%-24s %-24s %s%n", "VEHICLE", "HARDWARE", "COUNTER");
            all.forEach(v -> out.printf("%-24s %-24s %d%n", v.id(), v.hardwareId(), v.lastCounter()));
            return 0;
        }
    }
}

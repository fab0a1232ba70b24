package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ota oem rxswin}: software identification (UN R156 7.1.1, 7.2; issue 17); alone, it asks for a subcommand (exit 2). */
@Command(name = "rxswin", mixinStandardHelpOptions = true,
        description = {"The RXSWIN register and each release's RXSWIN change.",
                "Software identification, UN R156 7.1.1 and 7.2.",
                "%ndefine: register an RXSWIN for a hardware id as exactly which module versions;"
                        + " list: the register; release: state what a release changes (--from R1 --to R2, or --none)"
                        + " and why, and the modules it requires; vehicle: a vehicle's last signed configuration.",
                "Before a campaign starts, each target vehicle's last configuration is checked against its release;"
                        + " the ones that do not fit are left out, each named with its reason.%n"})
public final class RxswinCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The {@code rxswin} command line with its subcommands, to add under {@code ota oem}. */
    public static CommandLine commandLine(CliEnv env) {
        return new CommandLine(new RxswinCommand()).addSubcommand(new RxswinDefineCommand(env))
                .addSubcommand(new RxswinListCommand(env)).addSubcommand(new RxswinReleaseCommand(env))
                .addSubcommand(new RxswinVehicleCommand(env));
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command; one of: " + String.join(", ", spec.subcommands().keySet()));
    }
}

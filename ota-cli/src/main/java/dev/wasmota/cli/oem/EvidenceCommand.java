package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ota oem evidence}: the regulatory evidence (issue 17); alone, it asks for a subcommand (exit 2). */
@Command(name = "evidence", mixinStandardHelpOptions = true,
        description = {"Exports and checks the OEM's evidence for UN R155/R156.",
                "%nexport: a campaign's signed evidence bundle; verify: a bundle offline, or a vehicle's audit log"
                        + " against the OEM's signed anchors (issue 17).%n"})
public final class EvidenceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The {@code evidence} command line with its subcommands, to add under {@code ota oem}. */
    public static CommandLine commandLine(CliEnv env) {
        return new CommandLine(new EvidenceCommand()).addSubcommand(new EvidenceExportCommand(env))
                .addSubcommand(new EvidenceVerifyCommand(env));
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command; one of: " + String.join(", ", spec.subcommands().keySet()));
    }
}

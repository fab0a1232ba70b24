package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ota oem evidence}: a campaign's evidence bundle, exported and checked offline; alone, it asks for a subcommand (exit 2). */
@Command(name = "evidence", mixinStandardHelpOptions = true,
        description = {"Exports and verifies the evidence of an update (UN R155/R156)."})
public final class OemEvidenceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The {@code evidence} command line with its subcommands, to add under {@code ota oem}. */
    public static CommandLine commandLine(CliEnv env) {
        return new CommandLine(new OemEvidenceCommand())
                .addSubcommand(new EvidenceExportCommand(env))
                .addSubcommand(new EvidenceVerifyCommand());
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command; one of: " + String.join(", ", spec.subcommands().keySet()));
    }
}

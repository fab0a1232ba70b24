package dev.wasmota.cli.sim;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ota sim}: the vehicle simulator's commands. */
@Command(name = "sim", mixinStandardHelpOptions = true, description = "The vehicle simulator: the demo, and fleet runs with faults.",
        subcommands = {SimDemoCommand.class, SimRunCommand.class})
public final class SimCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command; one of: demo, run");
    }
}

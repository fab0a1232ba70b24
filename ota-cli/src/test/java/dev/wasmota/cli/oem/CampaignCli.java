package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.contract.error.RejectedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Runs the oem campaign, vehicle and release commands through picocli the way {@code ota} does
 * (a refusal prints its one line and exits with its reason's code; a usage error exits 2), since
 * {@code dev.wasmota.cli.Main} lives in ota-cli, which depends on this module.
 */
final class CampaignCli {
    private final CliEnv env;

    record Result(int code, String out, String err) {
    }

    @Command(name = "oem", mixinStandardHelpOptions = true, description = "The OEM.")
    static final class Oem implements Callable<Integer> {
        @Override
        public Integer call() {
            return 2;
        }
    }

    CampaignCli(CliEnv env) {
        this.env = env;
    }

    /** The commands under test, under an {@code oem} group as {@code ota} has them. */
    CommandLine tree() {
        return new CommandLine(new Oem())
                .addSubcommand(CampaignCommand.commandLine(env))
                .addSubcommand(CampaignVehicleCommand.commandLine(env))
                .addSubcommand(ReleaseCommand.commandLine(env))
                .addSubcommand(EvidenceCommand.commandLine(env))
                .addSubcommand(RxswinCommand.commandLine(env));
    }

    Result run(String... args) {
        return run(new StringWriter(), args);
    }

    /** Runs with standard output on {@code out}, which another thread may read while the command runs. */
    Result run(StringWriter out, String... args) {
        CommandLine cmd = tree();
        StringWriter err = new StringWriter();
        PrintWriter errWriter = new PrintWriter(err, true);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(errWriter);
        cmd.setParameterExceptionHandler((ex, a) -> {
            errWriter.println("usage error: " + ex.getMessage());
            return 2;
        });
        cmd.setExecutionExceptionHandler((ex, line, parse) -> {
            if (ex instanceof RejectedException r) {
                errWriter.println(r.userMessage());
                return r.exitCode().code();
            }
            if (ex instanceof CommandLine.ParameterException p) {
                errWriter.println("usage error: " + p.getMessage());
                return 2;
            }
            throw ex;
        });
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}

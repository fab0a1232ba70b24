package dev.wasmota.cli;

import dev.wasmota.cli.broker.BrokerCommand;
import dev.wasmota.cli.ecu.EcuServeCommand;
import dev.wasmota.cli.oem.OemServeCommand;
import dev.wasmota.cli.supplier.SupplierSubmitCommand;
import dev.wasmota.cli.bench.BenchCommands;
import dev.wasmota.cli.ecu.EcuInstallCommand;
import dev.wasmota.cli.ecu.EcuLogCommand;
import dev.wasmota.cli.ecu.EcuRollbackCommand;
import dev.wasmota.cli.ecu.EcuRunCommand;
import dev.wasmota.cli.ecu.EcuVerifyCommand;
import dev.wasmota.cli.bench.IntegrateBench;
import dev.wasmota.cli.oem.CampaignCommand;
import dev.wasmota.cli.oem.CampaignVehicleCommand;
import dev.wasmota.cli.oem.OemIntegrateCommand;
import dev.wasmota.cli.oem.ReleaseCommand;
import dev.wasmota.cli.bench.VerifyBench;
import dev.wasmota.cli.oem.OemEnrollCommand;
import dev.wasmota.cli.oem.OemInitCommand;
import dev.wasmota.cli.supplier.SupplierKeygenCommand;
import dev.wasmota.cli.supplier.SupplierPackageCommand;
import dev.wasmota.cli.supplier.SupplierSignCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Assembles every party's commands under one {@code ota} command line (CONTRACT.md). */
final class Commands {
    private Commands() {
    }

    @Command(name = "ota", mixinStandardHelpOptions = true, version = "ota 0.1.0",
            description = {"WASM plugin container for ECUs and its dual-signed OTA pipeline.",
                    "Exit codes: 0 done, 1 internal error, 2 usage, 3 rejected (signature, trust, integrity),",
                    "4 rejected (policy, malformed input), 5 rejected (the module misbehaved)."})
    static final class Ota extends Group {
    }

    @Command(name = "oem", mixinStandardHelpOptions = true, description = "The OEM: keys, enrollment, intake, releases, campaigns, serving.")
    static final class Oem extends Group {
    }

    @Command(name = "supplier", mixinStandardHelpOptions = true, description = "The supplier: keys, packaging, signing, the OEM's checks run here, submitting, a new module project.")
    static final class Supplier extends Group {
    }

    @Command(name = "ecu", mixinStandardHelpOptions = true, description = "The vehicle's ECU host.")
    static final class Ecu extends Group {
    }

    @Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks; each figure printed as name=value with its unit.")
    static final class Bench extends Group {
    }

    /** A command that only groups others: run alone, it asks for one of them (exit 2). */
    abstract static class Group implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "missing command; one of: " + String.join(", ", spec.subcommands().keySet()));
        }
    }

    static CommandLine build(CliEnv env) {
        CommandLine oem = group(new Oem())
                .addSubcommand(new OemInitCommand(env))
                .addSubcommand(new OemEnrollCommand(env))
                .addSubcommand(dev.wasmota.cli.oem.OemIssueCommand.commandLine(env))
                .addSubcommand(new dev.wasmota.cli.oem.OemRevokeCommand(env))
                .addSubcommand(new OemIntegrateCommand(env))
                .addSubcommand(ReleaseCommand.commandLine(env))
                .addSubcommand(dev.wasmota.cli.oem.ModuleCommand.commandLine(env))
                .addSubcommand(CampaignVehicleCommand.commandLine(env))
                .addSubcommand(CampaignCommand.commandLine(env))
                .addSubcommand(new dev.wasmota.cli.oem.OemLogCommand(env))
                .addSubcommand(dev.wasmota.cli.oem.EvidenceCommand.commandLine(env))
                .addSubcommand(dev.wasmota.cli.oem.RxswinCommand.commandLine(env))
                .addSubcommand(new OemServeCommand(env));
        CommandLine supplier = group(new Supplier())
                .addSubcommand(new SupplierKeygenCommand(env))
                .addSubcommand(new SupplierPackageCommand())
                .addSubcommand(new SupplierSignCommand(env))
                .addSubcommand(new SupplierSubmitCommand(env))
                .addSubcommand(new dev.wasmota.cli.supplier.SupplierTestCommand(env))
                .addSubcommand(new dev.wasmota.cli.supplier.SupplierNewCommand());
        CommandLine ecu = group(new Ecu())
                .addSubcommand(new EcuVerifyCommand(env))
                .addSubcommand(new EcuInstallCommand(env))
                .addSubcommand(new EcuRunCommand(env))
                .addSubcommand(new EcuRollbackCommand(env))
                .addSubcommand(new dev.wasmota.cli.ecu.EcuConfirmCommand(env))
                .addSubcommand(new dev.wasmota.cli.ecu.EcuStatusCommand(env))
                .addSubcommand(new dev.wasmota.cli.ecu.EcuTrustCommand(env))
                .addSubcommand(new EcuLogCommand())
                .addSubcommand(new EcuServeCommand(env));
        CommandLine bench = group(new Bench())
                .addSubcommand(new VerifyBench())
                .addSubcommand(new IntegrateBench())
                .addSubcommand(new dev.wasmota.cli.bench.PipelineBench())
                .addSubcommand(new dev.wasmota.cli.bench.CampaignBench())
                .addSubcommand(new dev.wasmota.cli.bench.ApiBench())
                .addSubcommand(new dev.wasmota.cli.bench.EvidenceBench())
                .addSubcommand(new dev.wasmota.cli.bench.EvidenceBundleBench())
                .addSubcommand(new dev.wasmota.cli.bench.RxswinStartBench());
        BenchCommands.all().forEach(bench::addSubcommand);
        return group(new Ota())
                .addSubcommand(oem)
                .addSubcommand(supplier)
                .addSubcommand(ecu)
                .addSubcommand(new dev.wasmota.cli.sim.SimCommand())
                .addSubcommand(bench)
                .addSubcommand(new CommandLine(new BrokerCommand(env.clock()))
                        .addSubcommand(new dev.wasmota.cli.broker.MosquittoConfigCommand(env.clock())));
    }

    private static CommandLine group(Object command) {
        CommandLine cl = new CommandLine(command);
        return cl;
    }
}

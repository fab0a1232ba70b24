package dev.wasmota.cli.ecu;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.ProbationStatus;
import dev.wasmota.ecu.UpdateFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.ecu.sandbox.ModuleStats;
import dev.wasmota.ecu.sandbox.Realtime;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.cli.DurationConverter;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota ecu run}: runs every installed module on its period and reports what each did. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs every installed module on its period for DURATION.",
                "Each module runs compiled in its own sandbox under its deadline; DURATION is",
                "like 500ms, 10s or 2m. A module whose faults trip the fault window is rolled",
                "back to its previous slot by the host itself. Prints per module: calls, worst",
                "call time, deadline misses, traps, other faults, skipped ticks, dropped log",
                "lines, rollbacks, host overloads (ticks stopped or late because the host did",
                "not give them the CPU: not the module's fault) and status: confirmed,",
                "probation:SERVED/REQUIRED (a slot is",
                "confirmed once it has run the fault window without a rollback; the floor then",
                "rises to its security version), or quarantined (its stored state is damaged:",
                "not started, the others run; exit 3 if every module is). Module log lines are",
                "printed as [module] line."})
public final class EcuRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HostOptions host;

    @Option(names = "--duration", required = true, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long to run")
    Duration duration;

    @Option(names = "--realtime", description = "run the modules' workers and the watchdog on SCHED_FIFO (priority "
            + Realtime.DEFAULT_PRIORITY + "); needs root or CAP_SYS_NICE, refused (exit 4) otherwise")
    boolean realtime;

    private final CliEnv env;

    public EcuRunCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        host.realtime = realtime ? Realtime.fifo(Realtime.DEFAULT_PRIORITY) : Realtime.OFF;
        try (HostOptions.Session session = host.open(Optional.empty(), env, out)) {
            EcuHost ecu = session.ecu();
            List<ModuleState> modules = ecu.modules();
            Map<String, String> quarantined = ecu.quarantined();
            if (modules.isEmpty() && quarantined.isEmpty()) {
                out.println("no modules installed in " + host.state + "; nothing to run");
                return 0;
            }
            if (modules.isEmpty()) {
                throw new RejectedException(UpdateFailure.MODULE_QUARANTINED, "every installed module is quarantined, nothing"
                        + " runs: " + quarantined);
            }
            out.printf("running %d module(s) for %s ...%n", modules.size(), duration);
            EcuHost.RunReport report = ecu.run(duration);
            session.flushModuleLog();
            printTable(out, ecu, report, quarantined);
        }
        return 0;
    }

    private static void printTable(PrintStream out, EcuHost ecu, EcuHost.RunReport report, Map<String, String> quarantined) {
        Map<String, ModuleStats> stats = report.stats();
        out.printf("%-20s %-10s %8s %10s %8s %6s %6s %8s %8s %9s %8s %s%n", "module", "version", "calls", "worst_us",
                "misses", "traps", "other", "skipped", "log_drop", "rollbacks", "overload", "status");
        for (ModuleState m : ecu.modules()) {
            ModuleStats s = stats.getOrDefault(m.moduleId(), ModuleStats.none(m.moduleId()));
            String status = ecu.probation(m.moduleId()).map(ProbationStatus::label).orElse("-");
            out.printf("%-20s %-10s %8d %10.1f %8d %6d %6d %8d %8d %9d %8d %s%n", m.moduleId(), m.activeMetadata().version(),
                    s.calls(), s.worstCallNanos() / 1e3, s.deadlineMisses(), s.traps(), s.otherFaults(), s.skippedTicks(),
                    s.droppedLogLines(), report.rollbacks().getOrDefault(m.moduleId(), 0L), s.hostOverloads(), status);
        }
        for (String id : quarantined.keySet()) {
            out.printf("%-20s %-10s %8d %10.1f %8d %6d %6d %8d %8d %9d %8d %s%n", id, "-", 0, 0.0, 0, 0, 0, 0, 0, 0, 0,
                    "quarantined");
        }
    }
}

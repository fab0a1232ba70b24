package dev.wasmota.ecu.cli;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.sandbox.ModuleStats;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.signing.cli.CliEnv;
import dev.wasmota.signing.cli.DurationConverter;
import java.io.PrintStream;
import java.time.Duration;
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
                "call time, deadline misses, traps, other faults and rollbacks."})
public final class EcuRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HostOptions host;

    @Option(names = "--duration", required = true, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long to run")
    Duration duration;

    private final CliEnv env;

    public EcuRunCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        try (EcuHost ecu = host.open(Optional.empty(), env, out)) {
            if (ecu.modules().isEmpty()) {
                out.println("no modules installed in " + host.state + "; nothing to run");
                return 0;
            }
            out.printf("running %d module(s) for %s ...%n", ecu.modules().size(), duration);
            EcuHost.RunReport report = ecu.run(duration);
            Map<String, ModuleStats> stats = report.stats();
            Map<String, Long> rollbacks = report.rollbacks();
            out.printf("%-20s %-10s %8s %10s %8s %6s %6s %9s%n", "module", "version", "calls", "worst_us", "misses",
                    "traps", "other", "rollbacks");
            for (ModuleState m : ecu.modules()) {
                ModuleStats s = stats.get(m.moduleId());
                out.printf("%-20s %-10s %8d %10.1f %8d %6d %6d %9d%n", m.moduleId(), m.activeMetadata().version(),
                        s == null ? 0 : s.calls(), s == null ? 0 : s.worstCallNanos() / 1e3,
                        s == null ? 0 : s.deadlineMisses(), s == null ? 0 : s.traps(), s == null ? 0 : s.otherFaults(),
                        rollbacks.getOrDefault(m.moduleId(), 0L));
            }
        }
        return 0;
    }
}

package dev.wasmota.cli.ecu;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.ProbationStatus;
import dev.wasmota.cli.CliEnv;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota ecu confirm}: marks a module's active slot successful before its probation ends. */
@Command(name = "confirm", mixinStandardHelpOptions = true,
        description = {"Confirms a module's active slot before its probation ends.",
                "The anti-rollback floor rises to the slot's security version at once, so its",
                "rollback target (and anything older) is refused from then on, by campaigns and",
                "by hand alike. The host confirms a slot by itself once it has run the fault",
                "window without a rollback. A service operation: refused when the ECU's policy",
                "(STATE/policy.json) forbids them. A confirmed slot stays as it is."})
public final class EcuConfirmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HostOptions host;

    @Option(names = "--module", required = true, paramLabel = "ID", description = "module whose active slot to confirm")
    String module;

    private final CliEnv env;

    public EcuConfirmCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        try (HostOptions.Session session = host.open(Optional.empty(), env, out)) {
            EcuHost ecu = session.ecu();
            long floorBefore = ecu.floor(module);
            ProbationStatus s = ecu.confirm(module, "cli");
            out.println(s.floor() > floorBefore
                    ? String.format("%s %s confirmed: floor %d -> %d", module, s.version(), floorBefore, s.floor())
                    : String.format("%s %s is already confirmed (floor %d); nothing changed", module, s.version(), s.floor()));
        }
        return 0;
    }
}

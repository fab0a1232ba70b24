package dev.wasmota.cli.ecu;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.cli.CliEnv;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota ecu rollback}: activates the previous slot of a module. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Activates the previous slot of a module.",
                "Refused if there is none or it is below the module's anti-rollback floor (its",
                "newer slot was confirmed: a security event). A service operation: refused when",
                "the ECU's policy (STATE/policy.json) forbids them."})
public final class EcuRollbackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HostOptions host;

    @Option(names = "--module", required = true, paramLabel = "ID", description = "module to roll back")
    String module;

    private final CliEnv env;

    public EcuRollbackCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        try (HostOptions.Session session = host.open(Optional.empty(), env, out)) {
            EcuHost ecu = session.ecu();
            ModuleState s = ecu.rollback(module, "cli");
            out.printf("%s: slot %s active, version %s%n", module, s.active(), s.activeMetadata().version());
        }
        return 0;
    }
}

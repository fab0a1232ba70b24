package dev.wasmota.cli.ecu;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.ProbationStatus;
import dev.wasmota.ecu.slots.ModuleState;
import dev.wasmota.cli.CliEnv;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ota ecu status}: each installed module's slots, floor and confirmation state. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Prints each installed module's slots, floor and confirmation state.",
                "Per module: the active version and slot, its security version, the rollback",
                "target, the anti-rollback floor, and its status: confirmed,",
                "probation:SERVED/REQUIRED (the floor stays at the rollback target's security",
                "version until the active slot has run the fault window without a rollback, or",
                "is confirmed with ota ecu confirm), or quarantined (damaged stored state: not",
                "started). Then the vehicle's RXSWIN (UN R156 software identification, set by the",
                "OEM's signed instructions once their package commits; 'none' before the first).",
                "Runs nothing."})
public final class EcuStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HostOptions host;

    private final CliEnv env;

    public EcuStatusCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        try (HostOptions.Session session = host.open(Optional.empty(), env, out)) {
            EcuHost ecu = session.ecu();
            out.printf("%-20s %-10s %-4s %4s %-16s %5s %s%n", "module", "version", "slot", "sv", "rollback_target",
                    "floor", "status");
            for (ModuleState m : ecu.modules()) {
                String target = m.previousMetadata().map(p -> p.version() + "(sv" + p.securityVersion() + ")").orElse("-");
                ProbationStatus p = ecu.probation(m.moduleId()).orElseThrow();
                out.printf("%-20s %-10s %-4s %4d %-16s %5d %s%n", m.moduleId(), m.activeMetadata().version(), m.active(),
                        m.activeMetadata().securityVersion(), target, p.floor(), p.label());
            }
            ecu.quarantined().forEach((id, why) -> out.printf("%-20s %-10s %-4s %4s %-16s %5s %s%n", id, "-", "-", "-", "-",
                    "-", "quarantined (" + why + ")"));
            out.printf("rxswin %s%n", dev.wasmota.ecu.RxswinState.in(ecu.config().stateDir()).peek(ecu.modules())
                    .orElse("none"));
        }
        return 0;
    }
}

package dev.wasmota.cli.ecu;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.InstallContext;
import dev.wasmota.ecu.InstallResult;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.cli.CliFiles;
import dev.wasmota.signing.instruction.SignedInstruction;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota ecu install}: verify, stage, compile, trial-activate, commit, or keep the old slot. */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = {"Installs a package in the inactive slot and commits it if healthy.",
                "Verifies both signatures and the host's policy (hardware id, anti-rollback",
                "floor, limits), stages the package in the inactive slot, compiles it,",
                "instantiates it, runs init() as a health check and commits it atomically. On",
                "any refusal the active slot is unchanged. Every step is written to the audit",
                "log first. Without --instruction the install is a service operation, logged as",
                "one and refused when the ECU's policy (STATE/policy.json) forbids them. The new",
                "slot is on probation until it has run the fault window without a rollback (or",
                "ota ecu confirm); until then its rollback target stays installable."})
public final class EcuInstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HostOptions host;

    @Mixin
    HostOptions.Identity identity;

    @Option(names = "--trust", paramLabel = "DIR", description = "trust anchors (required on first install; then must match)")
    Path trust;

    @Option(names = "--package", required = true, paramLabel = "PKG", description = "package to install")
    Path pkg;

    @Option(names = "--instruction", paramLabel = "FILE", description = "signed campaign instruction authorizing this install: checked for signature, vehicle, package, expiry and replay")
    Path instruction;

    private final CliEnv env;

    public EcuInstallCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(pkg)) {
            throw new NoSuchFileException(pkg.toString(), null, "package not found");
        }
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        try (HostOptions.Session session = host.open(Optional.ofNullable(trust), identity.wanted(), env, out)) {
            EcuHost ecu = session.ecu();
            InstallContext ctx = instruction == null ? InstallContext.manual() : InstallContext.instructed(
                    CliFiles.readBounded(spec.commandLine(), instruction, SignedInstruction.MAX_FILE_BYTES, "instruction"), "cli");
            InstallResult r = ecu.install(pkg, ctx);
            session.flushModuleLog();
            if (r.outcome() == InstallResult.Outcome.ALREADY_ACTIVE) {
                out.printf("%s %s is already active (slot %s); nothing changed%n", r.moduleId(), r.version(), r.slot());
            } else {
                out.printf("installed %s %s -> slot %s (was %s): verified, staged, compiled in %.0f ms, healthy, committed"
                                + " in %.0f ms%n", r.moduleId(), r.version(), r.slot(), r.fromVersion().orElse("none"),
                        r.compileMillis(), r.totalMillis());
            }
        }
        return 0;
    }
}

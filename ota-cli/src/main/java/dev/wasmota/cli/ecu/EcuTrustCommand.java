package dev.wasmota.cli.ecu;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.TrustChange;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.cli.CliFiles;
import dev.wasmota.signing.pki.SignedTrustUpdate;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota ecu trust}: puts a trust update (revocations signed by the OEM root) in force on this ECU. */
@Command(name = "trust", mixinStandardHelpOptions = true,
        description = {"Applies a trust update (revocations) signed by the OEM root.",
                "Its revoked keys and certificates are refused by every later install. It is verified",
                "against the provisioned root before it is read; an update signed by any other key",
                "(exit 3) or not newer than the one in force (a rollback, exit 4) is refused and logged",
                "as a security event. The update in force, given again, changes nothing. Modules",
                "installed before keep running."})
public final class EcuTrustCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HostOptions host;

    @Option(names = "--update", required = true, paramLabel = "FILE",
            description = "the signed trust update (DIR/vehicle-trust/trust-update.wotatrust after ota oem revoke)")
    Path update;

    private final CliEnv env;

    public EcuTrustCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        byte[] bytes = CliFiles.readBounded(spec.commandLine(), update, SignedTrustUpdate.MAX_FILE_BYTES, "trust update");
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        try (HostOptions.Session session = host.open(Optional.empty(), env, out)) {
            EcuHost ecu = session.ecu();
            TrustChange c = ecu.applyTrustUpdate(bytes, "cli");
            out.println(c.applied() ? c.summary() + " in force (was " + c.fromSequence() + ")"
                    : c.summary() + " is already in force; nothing changed");
        }
        return 0;
    }
}

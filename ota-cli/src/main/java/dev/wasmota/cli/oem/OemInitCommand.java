package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;

import dev.wasmota.signing.pki.TrustHierarchy;

import dev.wasmota.oem.pki.OemPki;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota oem init}: creates the OEM's root CA, supplier CA, release and campaign keys. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Creates the OEM's keys, certificates and vehicle trust anchors.",
                "Root CA, supplier CA, release (countersigning) key, campaign (director) key,",
                "and DIR/vehicle-trust/, the anchors vehicles are provisioned with. Refuses a",
                "DIR that is not empty."})
public final class OemInitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory to create (absent or empty)")
    Path out;

    private final CliEnv env;

    public OemInitCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        OemPki pki = OemPki.create(out, env.clock(), env.random());
        spec.commandLine().getOut().printf("created OEM PKI in %s%n  root CA:     %s%n  supplier CA: %s%n"
                        + "  release:     %s%n  campaign:    %s%n  vehicle trust anchors: %s%n",
                out, pki.root().cert().getSubject(), pki.supplierCa().cert().getSubject(),
                pki.release().cert().getSubject(), pki.campaign().cert().getSubject(), out.resolve(TrustHierarchy.TRUST_DIR));
        return 0;
    }
}

package dev.wasmota.cli.ecu;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.cli.CliFiles;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.PackageVerifier;
import dev.wasmota.signing.pkg.VerifiedPackage;
import dev.wasmota.signing.pki.TrustStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota ecu verify}: checks both signatures and the package's integrity; changes nothing. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks a package's signatures as the vehicle would; changes nothing.",
                "Checks the supplier signature and the OEM countersignature, both chains to the",
                "trust anchors, the module's digest and length, and the capabilities against",
                "the supplier's certificate, as the vehicle does before installing it."})
public final class EcuVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--trust", required = true, paramLabel = "DIR", description = "the vehicle's trust directory")
    Path trust;

    @Option(names = "--package", required = true, paramLabel = "PKG", description = "package to check")
    Path pkg;

    private final CliEnv env;

    public EcuVerifyCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        VerifiedPackage v = new PackageVerifier(TrustStore.load(trust), env.clock()).verify(CliFiles.readPackage(pkg));
        Manifest m = v.manifest();
        spec.commandLine().getOut().printf("verified %s %s (security version %d) from supplier %s%n"
                        + "  countersigned by %s%n  module sha256 %s, %d bytes; capabilities [%s]%n",
                m.moduleId(), m.version(), m.securityVersion(), m.supplierId(),
                v.release().map(c -> c.getSubject().toString()).orElse("-"), m.wasmSha256(), m.wasmLength(),
                m.capabilities());
        return 0;
    }
}

package dev.wasmota.cli.supplier;

import dev.wasmota.cli.CliEnv;

import dev.wasmota.signing.pki.SupplierKeys;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota supplier keygen}: an Ed25519 key and a certificate request for the OEM. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Creates an Ed25519 signing key and a certificate request.",
                "The key is PKCS#8 PEM, mode 0600 (DIR/ID.key.pem); the request is",
                "DIR/ID.csr.pem. Send the request to the OEM (ota oem enroll)."})
public final class SupplierKeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--supplier", required = true, paramLabel = "ID", description = "supplier id, e.g. acme")
    String supplier;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "directory for the key and the request")
    Path out;

    private final CliEnv env;

    public SupplierKeygenCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        SupplierKeys.generate(supplier, out, env.random());
        spec.commandLine().getOut().printf("key:     %s%nrequest: %s%n",
                SupplierKeys.keyFile(out, supplier), SupplierKeys.csrFile(out, supplier));
        return 0;
    }
}

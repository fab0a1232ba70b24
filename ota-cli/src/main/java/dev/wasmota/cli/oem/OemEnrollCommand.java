package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;

import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.signing.pki.Pem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.bouncycastle.cert.X509CertificateHolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota oem enroll}: issues a supplier certificate carrying the most that supplier may request. */
@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = {"Issues a supplier certificate from a certificate request.",
                "The request comes from ota supplier keygen. LIST is the most that supplier may",
                "ever request; packages asking for more are refused. Writes the certificate",
                "followed by the supplier CA certificate (the chain to sign with)."})
public final class OemEnrollCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--oem", required = true, paramLabel = "DIR", description = "the OEM directory (ota oem init)")
    Path oemDir;

    @Option(names = "--csr", required = true, paramLabel = "FILE", description = "the supplier's certificate request (PEM)")
    Path csr;

    @Option(names = "--supplier", required = true, paramLabel = "ID", description = "supplier id; must equal the request's CN")
    String supplier;

    @Option(names = "--capabilities", required = true, paramLabel = "LIST",
            description = "comma-separated capabilities, e.g. log,clock,can.read:100-1ff")
    String capabilities;

    @Option(names = "--out", required = true, paramLabel = "CERT", description = "certificate chain file to write (PEM)")
    Path out;

    @Option(names = "--days", defaultValue = "730", paramLabel = "N", description = "validity in days (default: ${DEFAULT-VALUE})")
    int days;

    private final CliEnv env;

    public OemEnrollCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (days < 1 || days > 3650) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--days must be within 1..3650");
        }
        CapabilitySet caps = CapabilitySet.parse(capabilities);
        OemPki pki = OemPki.load(oemDir);
        X509CertificateHolder cert = pki.enroll(Pem.readCertificationRequest(csr), supplier, caps,
                env.clock().instant(), Duration.ofDays(days), env.random());
        dev.wasmota.signing.pki.KeyFiles.writePublic(out, Pem.encode(cert, pki.supplierCa().cert()));
        spec.commandLine().getOut().printf("enrolled supplier %s with capabilities [%s], valid until %s -> %s%n",
                supplier, caps, cert.getNotAfter().toInstant(), out);
        return 0;
    }
}

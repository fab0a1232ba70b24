package dev.wasmota.cli.supplier;

import dev.wasmota.cli.serve.ConfigDefaults;
import dev.wasmota.cli.serve.ConfigFile;
import dev.wasmota.cli.serve.RouteSettings;
import dev.wasmota.cli.serve.TlsCredentials;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.protocol.tls.TlsMaterial;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.CredentialCheck;

import dev.wasmota.protocol.RouteProperties;
import dev.wasmota.transport.MqttSettings;
import dev.wasmota.routes.supplier.SubmitResult;
import dev.wasmota.routes.supplier.SupplierClient;
import dev.wasmota.protocol.wire.Submission;
import dev.wasmota.contract.Digests;
import dev.wasmota.cli.CliFiles;
import dev.wasmota.cli.DurationConverter;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota supplier submit}: sends a supplier-signed package to the OEM's intake over MQTT. */
@Command(name = "submit", mixinStandardHelpOptions = true, defaultValueProvider = ConfigDefaults.class,
        description = {"Sends a signed package to the OEM over MQTT.",
                "Publishes it on the supplier's submit topic (the supplier id is the manifest's)",
                "and waits for the OEM's intake result: accepted, with the release and the",
                "countersigned package's SHA-256, or refused, with the check, reason and detail.",
                "Exits 0 when accepted, else with the refusal's exit code (3 trust, 4 policy,",
                "5 module fault); 2 if the broker is unreachable or no result comes in time."})
public final class SupplierSubmitCommand implements Callable<Integer> {
    static final String DEFAULT_BROKER = "tcp://127.0.0.1:1883";

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigFile config;

    @Option(names = "--package", required = true, paramLabel = "PKG", description = "the supplier-signed package (ota supplier sign)")
    Path pkgFile;

    @Option(names = "--vectors", paramLabel = "FILE", description = "test vectors (CONTRACT JSON) for the OEM's intake to run")
    Path vectors;

    @Option(names = "--broker", paramLabel = "URL", defaultValue = DEFAULT_BROKER,
            description = "the broker, tcp://HOST:PORT or ssl://HOST:PORT (default: ${DEFAULT-VALUE})")
    String broker;

    @Option(names = "--tls", paramLabel = "DIR", description = "the supplier's credential (key.pem, cert.pem, ca.pem: "
            + "ota oem issue supplier) for an ssl:// broker; checked at start: CN supplier/ID of the manifest's supplier, valid")
    Path tls;

    @Option(names = "--no-wait", description = "return once the broker has the submission, without waiting for the result")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long to wait for the intake result (default: ota.supplier.resultTimeoutSeconds, 300s)")
    Duration timeout;

    @Mixin
    RouteSettings settings;

    private final CliEnv env;

    public SupplierSubmitCommand(CliEnv env) {
        this.env = env;
    }

    /** The OEM intake's refusal, named as its result names it, with the CONTRACT exit code it carries. */
    record IntakeRefusal(String name, ExitCode exitCode) implements Reason {
        static IntakeRefusal of(SubmitResult r) {
            ExitCode code = Arrays.stream(ExitCode.values()).filter(c -> c.code() == r.exitCode() && c != ExitCode.OK)
                    .findFirst().orElse(ExitCode.INTERNAL);
            return new IntakeRefusal(r.reason().orElse("INTAKE_REFUSED"), code);
        }
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cmd = spec.commandLine();
        PrintWriter out = cmd.getOut();
        byte[] bytes = CliFiles.readBounded(cmd, pkgFile, PackageFile.MAX_FILE_BYTES, "package");
        ModulePackage pkg = PackageFile.fromBytes(bytes);
        if (pkg.signature().isEmpty()) {
            throw new RejectedException(TrustFailure.UNSIGNED, pkgFile + " has no supplier signature; sign it first (ota supplier sign)");
        }
        Manifest manifest = ManifestCodec.parse(pkg.manifestBytes());
        Optional<byte[]> vectorBytes = vectors == null ? Optional.empty()
                : Optional.of(CliFiles.readBounded(cmd, vectors, Submission.MAX_VECTORS_BYTES, "test-vector file"));
        Properties p = settings.properties(cmd, Map.of());
        Optional<TlsMaterial> material = tls == null ? Optional.empty() : Optional.of(TlsCredentials.read(tls,
                CredentialCheck.tlsClient(ClientKind.SUPPLIER, manifest.supplierId()), Optional.empty(), env.clock().instant()));
        MqttSettings mqtt = RouteSettings.mqtt(cmd, broker, material, p);
        Duration wait = timeout != null ? timeout
                : Duration.ofSeconds(RouteProperties.intValue(p, "ota.supplier.resultTimeoutSeconds"));
        String sha256 = Digests.sha256Hex(bytes);
        try (SupplierClient client = SupplierClient.connect(manifest.supplierId(), mqtt, p)) {
            client.submit(new Submission(bytes, vectorBytes));
            out.printf("submitted %s %s (sha256 %s) as supplier %s to %s%n", manifest.moduleId(), manifest.version(), sha256,
                    manifest.supplierId(), broker);
            if (noWait) {
                out.println("not waiting for the intake result (--no-wait)");
                return 0;
            }
            out.flush();
            SubmitResult result = client.awaitResult(wait);
            if (!result.accepted()) {
                throw new RejectedException(IntakeRefusal.of(result), "the OEM's intake refused " + manifest.moduleId() + " "
                        + manifest.version() + " at check " + result.check().orElse("?") + ": "
                        + result.detail().orElse("no detail"));
            }
            out.printf("accepted: release %s, countersigned package sha256 %s%n", result.release().orElse("?"),
                    result.releaseSha256().orElse("?"));
            return 0;
        }
    }
}

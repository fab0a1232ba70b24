package dev.wasmota.cli.ecu;

import dev.wasmota.cli.serve.ConfigDefaults;
import dev.wasmota.cli.serve.ConfigFile;
import dev.wasmota.cli.serve.EventPrinter;
import dev.wasmota.cli.serve.Foreground;
import dev.wasmota.cli.serve.LineStream;
import dev.wasmota.cli.serve.MetricsOptions;
import dev.wasmota.cli.serve.RouteSettings;
import dev.wasmota.cli.serve.TlsCredentials;

import dev.wasmota.signing.pki.Credential;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.ecu.ProvisionedState;
import dev.wasmota.ecu.UpdateFailure;
import dev.wasmota.transport.MqttSettings;
import dev.wasmota.routes.vehicle.VehicleNode;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.CredentialCheck;
import dev.wasmota.protocol.tls.TlsMaterial;
import dev.wasmota.signing.pki.TrustStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota ecu serve}: the vehicle on the MQTT pipeline, running its modules until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, defaultValueProvider = ConfigDefaults.class,
        description = {"Runs the ECU on the MQTT pipeline until stopped.",
                "Runs every installed module on its period, takes campaign updates from the",
                "vehicle's persistent MQTT session, installs them and sends signed status",
                "reports. DIR is the state ota oem vehicle provision wrote (an empty vehicle",
                "starts from it) or an ECU's state with modules installed. The vehicle id is",
                "the one provisioned in DIR; the credential's certificate must name it (CN",
                "vehicle/<id>) and carry the vehicle role: its key signs the status reports",
                "and, for an ssl:// broker, authenticates the connection. The credential is",
                "checked at start (role, name, chain to the vehicle's trust anchor, validity)",
                "and refused with its reason (exit 3)."})
public final class EcuServeCommand implements Callable<Integer> {
    static final String DEFAULT_BROKER = "tcp://127.0.0.1:1883";

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigFile config;

    @Option(names = "--state", required = true, paramLabel = "DIR",
            description = "the ECU's state (ota oem vehicle provision, or ota ecu install)")
    Path state;

    @Option(names = "--trust", paramLabel = "DIR",
            description = "the OEM's vehicle trust anchors, OEM/vehicle-trust (default: those provisioned in DIR/trust)")
    Path trust;

    @Option(names = "--tls", paramLabel = "DIR",
            description = "this vehicle's credential: key.pem, cert.pem, ca.pem (default: DIR/credential, as provisioned)")
    Path tls;

    @Option(names = "--broker", paramLabel = "URL", defaultValue = DEFAULT_BROKER,
            description = "the broker, tcp://HOST:PORT or ssl://HOST:PORT (default: ${DEFAULT-VALUE})")
    String broker;

    @Mixin
    RouteSettings settings;

    @Mixin
    MetricsOptions metrics;

    private final CliEnv env;

    public EcuServeCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        CommandLine cmd = spec.commandLine();
        PrintWriter out = cmd.getOut();
        HostIdentity identity = HostIdentity.load(state).orElseThrow(() -> new NoSuchFileException(
                state.resolve(HostIdentity.FILE).toString(), null,
                "this ECU is not provisioned; provision it with ota oem vehicle provision --out DIR"));
        String vehicleId = identity.vehicleId();
        TrustStore anchors = trustAnchors();
        TlsMaterial material = TlsCredentials.read(tls != null ? tls : ProvisionedState.credentialDir(state),
                CredentialCheck.tlsClient(ClientKind.VEHICLE, vehicleId), Optional.of(anchors), env.clock().instant());
        Properties p = settings.properties(cmd, Map.of());
        MqttSettings mqtt = RouteSettings.mqtt(cmd, broker, Optional.of(material), p);
        try (Foreground fg = new Foreground(cmd.getErr())) {
            MetricsOptions.Metrics m = fg.hold("metrics server", metrics.open(cmd));
            EcuHost host = fg.hold("ECU host", EcuHost.open(HostConfig.builder(state, anchors).identity(identity)
                    .clock(env.clock()).meters(m.registry()).build(), LineStream.of(out)));
            host.start();
            VehicleNode node = fg.hold("vehicle node", VehicleNode.start(vehicleId, host, new Credential(material.key(),
                    material.leaf()), mqtt, p, env.clock(), m.registry(),
                    VehicleNode.Options.standalone().withEvents(new EventPrinter(out, env.clock().getZone()))));
            m.server().ifPresent(s -> s.readiness(node::readiness));
            out.printf("vehicle %s (hardware %s) on %s: %s, updates on %s/vehicle/%s/update%n", vehicleId,
                    identity.hardwareId(), broker, configuration(host), p.getProperty("ota.topic.root"), vehicleId);
            m.server().ifPresent(s -> out.println("metrics at " + s.url()));
            out.println("serving; stop with Ctrl-C");
            out.flush();
            fg.awaitInterrupt();
            out.println("vehicle " + vehicleId + " stopping");
            out.flush();
        }
        return 0;
    }

    /** What the host runs: its modules and their versions, or that it is empty (a vehicle just provisioned). */
    private static String configuration(EcuHost host) {
        if (host.modules().isEmpty()) {
            return "no modules installed (an empty configuration; trust update " + host.trust().sequence() + ")";
        }
        return host.modules().size() + " module(s) running (" + host.modules().stream()
                .map(m -> m.moduleId() + " " + m.activeMetadata().version()).collect(Collectors.joining(", ")) + ")";
    }

    /** The trust anchors given, which must be those this ECU was provisioned with, if any; else those provisioned. */
    private TrustStore trustAnchors() throws IOException {
        Path stored = ProvisionedState.trustDir(state);
        if (trust == null) {
            if (!Files.isRegularFile(stored.resolve(TrustStore.ROOT_FILE))) {
                throw new NoSuchFileException(stored.resolve(TrustStore.ROOT_FILE).toString(), null,
                        "no trust anchors provisioned in this ECU's state; give --trust OEM/vehicle-trust");
            }
            return TrustStore.load(stored);
        }
        if (!Files.isRegularFile(trust.resolve(TrustStore.ROOT_FILE))) {
            throw new NoSuchFileException(trust.resolve(TrustStore.ROOT_FILE).toString(), null, "no trust anchors in --trust");
        }
        TrustStore given = TrustStore.load(trust);
        if (Files.isRegularFile(stored.resolve(TrustStore.ROOT_FILE))
                && !Arrays.equals(TrustStore.load(stored).root().getEncoded(), given.root().getEncoded())) {
            throw new RejectedException(UpdateFailure.TRUST_ANCHOR_MISMATCH, trust
                    + " holds other trust anchors than this ECU was provisioned with");
        }
        return given;
    }
}

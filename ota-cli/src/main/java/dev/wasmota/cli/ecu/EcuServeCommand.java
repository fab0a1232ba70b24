package dev.wasmota.cli.ecu;

import dev.wasmota.cli.serve.EventPrinter;
import dev.wasmota.cli.serve.Foreground;
import dev.wasmota.cli.serve.LineStream;
import dev.wasmota.cli.serve.MetricsOptions;
import dev.wasmota.cli.serve.RouteSettings;
import dev.wasmota.cli.serve.ServeFailure;

import dev.wasmota.signing.pki.Credential;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.ecu.UpdateFailure;
import dev.wasmota.transport.MqttSettings;
import dev.wasmota.routes.vehicle.VehicleNode;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.pki.CertIssuer;
import dev.wasmota.signing.pki.ClientKind;
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
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota ecu serve}: the vehicle on the MQTT pipeline, running its modules until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the ECU on the MQTT pipeline until stopped.",
                "Runs every installed module on its period, takes campaign updates from the",
                "vehicle's persistent MQTT session, installs them and sends signed status reports.",
                "The vehicle id is the one provisioned in DIR (ota ecu install --vehicle-id); the",
                "TLS material's certificate must name it (CN vehicle/<id>): its key signs the",
                "status reports and, for an ssl:// broker, authenticates the connection."})
public final class EcuServeCommand implements Callable<Integer> {
    static final String DEFAULT_BROKER = "tcp://127.0.0.1:1883";

    @Spec
    CommandSpec spec;

    @Option(names = "--state", required = true, paramLabel = "DIR", description = "the ECU's state (provisioned by ota ecu install)")
    Path state;

    @Option(names = "--trust", required = true, paramLabel = "DIR", description = "the OEM's vehicle trust anchors (DIR/vehicle-trust)")
    Path trust;

    @Option(names = "--tls", required = true, paramLabel = "DIR",
            description = "this vehicle's key and certificate (key.pem, cert.pem, ca.pem)")
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
                "this ECU is not provisioned; install a module once with --hardware-id and --vehicle-id"));
        String vehicleId = identity.vehicleId();
        TlsMaterial material = RouteSettings.tls(tls).orElseThrow();
        requireVehicleCertificate(material, vehicleId);
        TrustStore anchors = trustAnchors();
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
            out.printf("vehicle %s (hardware %s) on %s: %d module(s) running, updates on %s/vehicle/%s/update%n", vehicleId,
                    identity.hardwareId(), broker, host.modules().size(), p.getProperty("ota.topic.root"), vehicleId);
            m.server().ifPresent(s -> out.println("metrics at " + s.url()));
            out.println("serving; stop with Ctrl-C");
            out.flush();
            fg.awaitInterrupt();
            out.println("vehicle " + vehicleId + " stopping");
            out.flush();
        }
        return 0;
    }

    /** Refuses material whose certificate is not this vehicle's: it would sign another vehicle's status. */
    private void requireVehicleCertificate(TlsMaterial material, String vehicleId) {
        String cn = CertIssuer.commonName(material.leaf()).orElse("");
        Optional<Map.Entry<ClientKind, String>> party = ClientKind.parse(cn);
        if (party.isEmpty() || party.get().getKey() != ClientKind.VEHICLE || !party.get().getValue().equals(vehicleId)) {
            throw new RejectedException(ServeFailure.CREDENTIAL_MISMATCH, tls.resolve(TlsMaterial.CERT_FILE) + " is for '" + cn
                    + "', not this ECU's vehicle: expected CN " + ClientKind.VEHICLE.commonName(vehicleId));
        }
    }

    /** The trust anchors given, which must be those this ECU was provisioned with, if any. */
    private TrustStore trustAnchors() throws IOException {
        if (!Files.isRegularFile(trust.resolve(TrustStore.ROOT_FILE))) {
            throw new NoSuchFileException(trust.resolve(TrustStore.ROOT_FILE).toString(), null, "no trust anchors in --trust");
        }
        TrustStore given = TrustStore.load(trust);
        Path stored = state.resolve("trust");
        if (Files.isRegularFile(stored.resolve(TrustStore.ROOT_FILE))
                && !Arrays.equals(TrustStore.load(stored).root().getEncoded(), given.root().getEncoded())) {
            throw new RejectedException(UpdateFailure.TRUST_ANCHOR_MISMATCH, trust
                    + " holds other trust anchors than this ECU was provisioned with");
        }
        return given;
    }
}

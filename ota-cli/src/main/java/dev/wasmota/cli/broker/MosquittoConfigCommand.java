package dev.wasmota.cli.broker;

import dev.wasmota.broker.BrokerException;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.MosquittoFiles;
import dev.wasmota.broker.TlsListener;
import dev.wasmota.cli.serve.TlsCredentials;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.protocol.Topics;
import dev.wasmota.signing.pki.CredentialCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ota broker mosquitto-config}: Mosquitto's configuration and ACL for a deployment, TLS
 * only, from the same settings and topic model ({@code TopicPolicy}) as the embedded broker, so
 * a deployment on Mosquitto confines each party to its own topics exactly as {@code ota broker
 * --tls} does. Mosquitto cannot match a user-name prefix, so every OEM worker is named.
 */
@Command(name = "mosquitto-config", mixinStandardHelpOptions = true,
        description = {"Write Mosquitto 2's configuration (OUT/mosquitto.conf) and ACL (OUT/acl) for a TLS-only broker "
                + "under the pipeline's topic model; run it with: mosquitto -c OUT/mosquitto.conf.",
                "The broker's credential is checked first (server role, a host name, chain to its ca.pem, validity). "
                        + "Run it again (and send Mosquitto SIGHUP) when a worker is added."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:written", "2:bad usage, or a file could not be written (reason on stderr)",
                "3:the --tls credential is refused (reason on stderr)"})
public final class MosquittoConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--tls", required = true, paramLabel = "DIR",
            description = "The broker's credential (key.pem, cert.pem, ca.pem: ota oem issue broker); Mosquitto reads it from here.")
    Path tls;

    @Option(names = "--oem-worker", required = true, paramLabel = "NAME",
            description = "An OEM worker (ota oem serve --worker NAME) allowed every topic under the root; repeat for each.")
    List<String> workers;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where mosquitto.conf and acl are written (replaced).")
    Path out;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--tls-port", defaultValue = "8883", description = "TLS listener port (default: ${DEFAULT-VALUE}).")
    int tlsPort;

    @Option(names = "--data", paramLabel = "DIR", description = "Mosquitto's persistence directory (default: OUT/data).")
    Path data;

    @Option(names = "--user", paramLabel = "NAME",
            description = "The user Mosquitto runs as once started as root (default: Mosquitto's own, mosquitto); "
                    + "it must read the credential and write the data directory.")
    String user;

    @Option(names = "--max-message-size", paramLabel = "BYTES", defaultValue = "10485760",
            description = "Largest MQTT packet a client may send (default: ${DEFAULT-VALUE}).")
    int maxMessageSize;

    @Option(names = "--topic-root", paramLabel = "ROOT", defaultValue = Topics.DEFAULT_ROOT,
            description = "Topic root parties are confined to, their ota.topic.root (default: ${DEFAULT-VALUE}).")
    String topicRoot;

    private final Clock clock;

    /** The command checking the credential on {@code clock}. */
    public MosquittoConfigCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (tlsPort < 1 || tlsPort > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tls-port must be within 1..65535, was " + tlsPort);
        }
        try {
            TlsCredentials.read(tls, CredentialCheck.broker(), Optional.empty(), clock.instant());
        } catch (NoSuchFileException e) {
            err.println("ota broker mosquitto-config: no such file: " + e.getFile());
            return BrokerCommand.USAGE_OR_IO;
        }
        Path dataDir = data != null ? data : out.resolve("data");
        BrokerSettings settings;
        try {
            settings = BrokerSettings.builder(dataDir).host(host).maxMessageBytes(maxMessageSize).plainListener(false)
                    .tls(new TlsListener(tlsPort, tls)).oemClients(workers).topics(topics()).build();
        } catch (BrokerException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path config = out.resolve(MosquittoFiles.CONFIG);
        Path acl = out.resolve(MosquittoFiles.ACL);
        try {
            Files.createDirectories(dataDir);
            DurableFiles.writeAtomic(acl, MosquittoFiles.acl(settings).getBytes(StandardCharsets.UTF_8));
            DurableFiles.writeAtomic(config, MosquittoFiles.config(settings, dataDir, acl, -1, tlsPort,
                    Optional.ofNullable(user)).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            err.println("ota broker mosquitto-config: cannot write " + out + ": " + e.getMessage());
            return BrokerCommand.USAGE_OR_IO;
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + config + " and " + acl + " (TLS only on " + host + ":" + tlsPort + ", OEM workers "
                + String.join(", ", workers) + "); run: mosquitto -c " + config);
        o.flush();
        return BrokerCommand.OK;
    }

    private Topics topics() {
        try {
            return new Topics(topicRoot);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--topic-root: " + e.getMessage());
        }
    }
}

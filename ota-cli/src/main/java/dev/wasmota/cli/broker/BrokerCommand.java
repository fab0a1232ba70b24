package dev.wasmota.cli.broker;

import dev.wasmota.cli.serve.ConfigDefaults;
import dev.wasmota.cli.serve.ConfigFile;
import dev.wasmota.cli.serve.TlsCredentials;
import dev.wasmota.protocol.Topics;
import dev.wasmota.signing.pki.CredentialCheck;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine;

import dev.wasmota.broker.BrokerException;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.EmbeddedBroker;
import dev.wasmota.broker.TlsListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota broker}: runs the pipeline's MQTT 5 broker in the foreground until interrupted. */
@Command(name = "broker", mixinStandardHelpOptions = true, defaultValueProvider = ConfigDefaults.class,
        description = {"Run the OTA pipeline's MQTT 5 broker (embedded HiveMQ CE) until interrupted.",
                "With --tls, clients on the TLS listener need a certificate from the OEM root and may only use "
                        + "their own topics, and the unauthenticated plain listener is off unless --plain asks for it. "
                        + "The broker's credential is checked at start (server role, a host name, chain to its ca.pem, validity)."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped normally", "2:bad usage, or the broker could not start (reason on stderr)",
                "3:the --tls credential is refused (reason on stderr)"})
public final class BrokerCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int USAGE_OR_IO = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigFile config;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "1883", description = "Plain listener port, 0 for a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Persistence directory (sessions, queued messages); default: a temporary one deleted at exit.")
    Path data;

    @Option(names = "--tls", paramLabel = "DIR",
            description = "The broker's credential (key.pem, cert.pem, ca.pem: ota oem issue broker) for a TLS listener.")
    Path tls;

    @Option(names = "--tls-port", defaultValue = "8883", description = "TLS listener port, 0 for a free one (default: ${DEFAULT-VALUE}).")
    int tlsPort;

    @Option(names = "--plain", negatable = true, fallbackValue = "true",
            description = "The unauthenticated plain listener (default: on without --tls, off with it); --plain with --tls "
                    + "keeps both, --no-plain without --tls is refused (no listener).")
    Boolean plain;

    @Option(names = "--max-message-size", paramLabel = "BYTES", defaultValue = "10485760",
            description = "Largest MQTT packet a client may send (default: ${DEFAULT-VALUE}).")
    int maxMessageSize;

    @Option(names = "--topic-root", paramLabel = "ROOT", defaultValue = Topics.DEFAULT_ROOT,
            description = "Topic root the TLS listener confines parties to, the parties' ota.topic.root (default: ${DEFAULT-VALUE}).")
    String topicRoot;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Clock clock;

    /** A broker command checking credentials on the system clock. */
    public BrokerCommand() {
        this(Clock.systemUTC());
    }

    /** A broker command checking credentials on {@code clock}. */
    public BrokerCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!plainListener() && tls == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--no-plain without --tls leaves no listener");
        }
        if (tls != null) {
            try {
                TlsCredentials.read(tls, CredentialCheck.broker(), Optional.empty(), clock.instant());
            } catch (NoSuchFileException e) {
                err.println("ota broker: no such file: " + e.getFile() + " (" + e.getReason() + ")");
                return USAGE_OR_IO;
            }
        }
        Path dir;
        try {
            dir = data != null ? data : Files.createTempDirectory("ota-broker");
        } catch (IOException e) {
            err.println("ota broker: cannot create a data directory: " + e.getMessage());
            return USAGE_OR_IO;
        }
        try (EmbeddedBroker broker = EmbeddedBroker.start(settings(dir))) {
            Thread hook = new Thread(() -> stopOnExit(broker, dir), "ota-broker-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("MQTT broker listening on " + urls(broker));
            out.flush();
            awaitInterrupt();
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (BrokerException e) {
            err.println("ota broker: " + e.getMessage().lines().findFirst().orElse("failed"));
            deleteTemporary(dir);
            return USAGE_OR_IO;
        }
        deleteTemporary(dir);
        return OK;
    }

    private BrokerSettings settings(Path dir) {
        Topics topics;
        try {
            topics = new Topics(topicRoot);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--topic-root: " + e.getMessage());
        }
        BrokerSettings.Builder b = BrokerSettings.builder(dir).host(host).port(port).maxMessageBytes(maxMessageSize)
                .plainListener(plainListener()).topics(topics);
        if (tls != null) b.tls(new TlsListener(tlsPort, tls));
        return b.build();
    }

    private String urls(EmbeddedBroker broker) {
        String tlsUrl = broker.tlsUrl().orElse("");
        return plainListener() ? broker.url() + (tlsUrl.isEmpty() ? "" : " and " + tlsUrl) : tlsUrl;
    }

    /** Whether the plain listener runs: as asked, else only without TLS. */
    private boolean plainListener() {
        return plain != null ? plain : tls == null;
    }

    private void awaitInterrupt() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopOnExit(EmbeddedBroker broker, Path dir) {
        broker.close();
        deleteTemporary(dir);
    }

    private void deleteTemporary(Path dir) {
        if (data != null || !Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(BrokerCommand::delete);
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temporary directory
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

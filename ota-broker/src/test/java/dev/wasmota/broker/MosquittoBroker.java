package dev.wasmota.broker;

import dev.wasmota.broker.internal.BrokerFiles;
import dev.wasmota.broker.internal.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Mosquitto 2.0 (the Debian package's {@code /usr/sbin/mosquitto}) as a child process, configured from the
 * same {@link BrokerSettings} as the embedded broker, so tests can check the pipeline against a second,
 * independent MQTT 5 implementation (and Mosquitto spreads QoS 1 shared subscriptions, HiveMQ CE does not).
 * A missing binary fails the test with the install command rather than skipping it.
 */
public final class MosquittoBroker implements Broker {

    public static final Path BINARY = Path.of(System.getProperty("mosquitto.binary", "/usr/sbin/mosquitto"));
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final int LOG_LINES_ON_FAILURE = 30;

    private final Process process;
    private final Path log;
    private final String url;
    private final String tlsUrl;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MosquittoBroker(Process process, Path log, String url, String tlsUrl) {
        this.process = process;
        this.log = log;
        this.url = url;
        this.tlsUrl = tlsUrl;
    }

    private static final Duration STARTUP_SETTLE = Duration.ofMillis(250);

    /** Starts Mosquitto on the settings' ports (0 = free) and returns once every listener accepts connections. */
    public static MosquittoBroker start(BrokerSettings settings) {
        return start(settings, BINARY);
    }

    static MosquittoBroker start(BrokerSettings settings, Path binary) {
        settings.validate();
        if (!Files.isExecutable(binary)) {
            throw new BrokerException(binary + " not found: install mosquitto: apt-get install -y mosquitto");
        }
        Path dir = BrokerFiles.createDirectories(settings.dataDir().toAbsolutePath().resolve("mosquitto"));
        int plainPort = settings.plainListener() ? Ports.resolve(settings.host(), settings.port()) : -1;
        int tlsPort = settings.tls().map(t -> Ports.resolve(settings.host(), t.port())).orElse(-1);
        Path config = dir.resolve("mosquitto.conf");
        BrokerFiles.write(dir.resolve("acl"), MosquittoConfig.acl(settings.oemClients()));
        BrokerFiles.write(config, MosquittoConfig.render(settings, dir, plainPort, tlsPort));
        Path log = dir.resolve("mosquitto.log");

        Process process;
        try {
            process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new BrokerException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        String url = plainPort < 0 ? null : "tcp://" + settings.host() + ":" + plainPort;
        String tlsUrl = tlsPort < 0 ? null : "ssl://" + settings.host() + ":" + tlsPort;
        MosquittoBroker broker = new MosquittoBroker(process, log, url, tlsUrl);
        for (int port : List.of(plainPort, tlsPort)) {
            if (port >= 0 && !awaitAccepting(process, settings.host(), port)) {
                broker.close();
                throw new BrokerException("mosquitto did not accept connections on " + settings.host() + ":" + port
                        + " (exit " + (process.isAlive() ? "none, still running" : process.exitValue()) + "); its log:\n"
                        + broker.logTail());
            }
        }
        if (!survivesStartup(process)) {
            broker.close();
            throw new BrokerException("mosquitto stopped right after opening its ports (exit " + process.exitValue()
                    + "); its log:\n" + broker.logTail());
        }
        return broker;
    }

    @Override
    public String url() {
        if (url == null) throw new BrokerException("the plain listener is off; use tlsUrl()");
        return url;
    }

    @Override
    public Optional<String> tlsUrl() {
        return Optional.ofNullable(tlsUrl);
    }

    /** The last lines mosquitto logged, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "MosquittoBroker[" + (url != null ? url : "") + (tlsUrl != null ? " " + tlsUrl : "") + "]";
    }

    /**
     * Mosquitto opens its listening sockets before it loads a TLS listener's certificates, and
     * exits when they are unusable: a listener that accepted is not yet a broker that runs.
     */
    private static boolean survivesStartup(Process process) {
        try {
            return !process.waitFor(STARTUP_SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return process.isAlive();
        }
    }

    private static boolean awaitAccepting(Process process, String host, int port) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            if (Ports.awaitAccepting(host, port, Duration.ofMillis(200))) return true;
        }
        return false;
    }
}

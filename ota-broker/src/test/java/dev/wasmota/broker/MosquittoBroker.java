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
    private final Path config;
    private final Path log;
    private final String url;
    private final String tlsUrl;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MosquittoBroker(Process process, Path config, Path log, String url, String tlsUrl) {
        this.process = process;
        this.config = config;
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
        BrokerFiles.write(dir.resolve("acl"), MosquittoFiles.acl(settings));
        BrokerFiles.write(config, MosquittoConfig.render(settings, dir, plainPort, tlsPort));
        String url = plainPort < 0 ? null : "tcp://" + settings.host() + ":" + plainPort;
        String tlsUrl = tlsPort < 0 ? null : "ssl://" + settings.host() + ":" + tlsPort;
        return launch(binary, config, dir.resolve("mosquitto.log"), settings.host(), url, tlsUrl, plainPort, tlsPort);
    }

    /**
     * Stops this broker (SIGTERM: Mosquitto writes its persistence file, with every persistent
     * session and its queued messages) and starts it again from the same configuration: the same
     * ports and data directory, as an operator's restart would. Returns the new broker.
     */
    public MosquittoBroker restart() {
        close();
        return again();
    }

    /** Starts a new broker from this stopped one's configuration: same ports, same persistence. */
    public MosquittoBroker again() {
        if (!closed.get()) throw new BrokerException("stop " + this + " before starting it again");
        return launch(BINARY, config, log, host(url != null ? url : tlsUrl), url, tlsUrl, port(url), port(tlsUrl));
    }

    /** Freezes the broker process (SIGSTOP): its sockets stay open, but nothing is read or answered. */
    public void pause() {
        signal("STOP");
    }

    /** Lets a {@linkplain #pause() paused} broker run again (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new BrokerException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new BrokerException("cannot signal mosquitto: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while signalling mosquitto", e);
        }
    }

    private static String host(String url) {
        return url.substring(url.indexOf("://") + 3, url.lastIndexOf(':'));
    }

    private static int port(String url) {
        return url == null ? -1 : Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    private static MosquittoBroker launch(Path binary, Path config, Path log, String host, String url, String tlsUrl,
                                          int plainPort, int tlsPort) {
        Process process;
        try {
            process = new ProcessBuilder(binary.toString(), "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new BrokerException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        MosquittoBroker broker = new MosquittoBroker(process, config, log, url, tlsUrl);
        for (int port : List.of(plainPort, tlsPort)) {
            if (port >= 0 && !awaitAccepting(process, host, port)) {
                broker.close();
                throw new BrokerException("mosquitto did not accept connections on " + host + ":" + port
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

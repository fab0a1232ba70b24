package dev.wasmota.broker;

import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
import dev.wasmota.broker.internal.BrokerFiles;
import dev.wasmota.broker.internal.HiveMqConfig;
import dev.wasmota.broker.internal.HiveMqTls;
import dev.wasmota.broker.internal.Ports;
import dev.wasmota.broker.internal.QuietLogging;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The product's broker: HiveMQ CE running inside this JVM (MQTT 5, file persistence, so persistent sessions
 * keep QoS 1 messages for offline clients), configured from {@link BrokerSettings}. With a {@link TlsListener}
 * it requires client certificates and enforces the OTA topic ACLs through an embedded extension.
 * Measured on the 2-core VM: first start in a JVM ≈ 2.4 s, later ones ≈ 0.7 s; stop ≈ 4.1 s (see docs-broker.md).
 */
public final class EmbeddedBroker implements Broker {

    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final EmbeddedHiveMQ hive;
    private final String url;
    private final String tlsUrl;
    private final Duration startTime;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedBroker(EmbeddedHiveMQ hive, String url, String tlsUrl, Duration startTime) {
        this.hive = hive;
        this.url = url;
        this.tlsUrl = tlsUrl;
        this.startTime = startTime;
    }

    /** Starts a broker and returns once its listeners accept connections; throws {@link BrokerException} otherwise. */
    public static EmbeddedBroker start(BrokerSettings settings) {
        settings.validate();
        long t0 = System.nanoTime();
        Path root = settings.dataDir().toAbsolutePath().resolve("hivemq");
        Path conf = BrokerFiles.createDirectories(root.resolve("conf"));
        Path data = BrokerFiles.createDirectories(root.resolve("data"));
        Path extensions = BrokerFiles.createDirectories(root.resolve("extensions"));
        int plainPort = settings.plainListener() ? Ports.resolve(settings.host(), settings.port()) : -1;
        HiveMqConfig.TlsStores stores = settings.tls()
                .map(t -> HiveMqTls.writeStores(t.materialDir(), conf, Ports.resolve(settings.host(), t.port())))
                .orElse(null);
        BrokerFiles.write(conf.resolve("config.xml"), HiveMqConfig.render(settings, plainPort, stores));

        EmbeddedHiveMQBuilder builder = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf).withDataFolder(data).withExtensionsFolder(extensions)
                .withoutLoggingBootstrap();
        if (stores != null) builder.withEmbeddedExtension(HiveMqTls.accessControl(settings.topicPolicy()));
        QuietLogging.apply();
        EmbeddedHiveMQ hive = builder.build();
        awaitStart(hive, settings);

        String url = plainPort < 0 ? null : "tcp://" + settings.host() + ":" + plainPort;
        String tlsUrl = stores == null ? null : "ssl://" + settings.host() + ":" + stores.port();
        awaitAccepting(hive, settings.host(), plainPort);
        awaitAccepting(hive, settings.host(), stores == null ? -1 : stores.port());
        return new EmbeddedBroker(hive, url, tlsUrl, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** How long {@link #start} took, from validating the settings to the listeners accepting. */
    public Duration startTime() {
        return startTime;
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

    /** Stops the broker, waiting for it even if the calling thread was interrupted (the flag is kept). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        boolean interrupted = Thread.interrupted();
        try {
            hive.stop().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            hive.close();
        } catch (InterruptedException e) {
            interrupted = true;
            throw new BrokerException("interrupted while stopping HiveMQ", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new BrokerException("HiveMQ did not stop cleanly: " + reason(e), e);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "EmbeddedBroker[" + (url != null ? url : "") + (tlsUrl != null ? " " + tlsUrl : "") + "]";
    }

    private static void awaitStart(EmbeddedHiveMQ hive, BrokerSettings settings) {
        try {
            hive.start().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly(hive);
            throw new BrokerException("interrupted while starting HiveMQ", e);
        } catch (ExecutionException | TimeoutException e) {
            stopQuietly(hive);
            throw new BrokerException("HiveMQ did not start in " + settings.dataDir() + ": " + reason(e), e);
        }
    }

    private static void awaitAccepting(EmbeddedHiveMQ hive, String host, int port) {
        if (port < 0 || Ports.awaitAccepting(host, port, START_TIMEOUT)) return;
        stopQuietly(hive);
        throw new BrokerException("HiveMQ started but does not accept connections on " + host + ":" + port);
    }

    private static void stopQuietly(EmbeddedHiveMQ hive) {
        boolean interrupted = Thread.interrupted();
        try {
            hive.stop().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            hive.close();
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // the start failure is the error worth reporting
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message.lines().findFirst().orElse("");
    }
}

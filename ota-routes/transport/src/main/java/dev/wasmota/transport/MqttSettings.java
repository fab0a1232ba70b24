package dev.wasmota.transport;

import dev.wasmota.contract.config.Problems;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.SocketFactory;

/**
 * How a party connects to the broker: its URL ({@code tcp://} or {@code ssl://}), the socket
 * factory (TLS material from the OEM PKI for {@code ssl://}), and session and timing limits.
 * Defaults: QoS 1, sessions kept 7 days, 10 s to connect, 30 s keep-alive, 9 MiB messages, and
 * the slow-retrieval guard's {@link PacketGuard#DEFAULT} on every connection.
 */
public record MqttSettings(String brokerUrl, Optional<SocketFactory> socketFactory, int qos, Duration sessionExpiry,
                           Duration connectTimeout, Duration keepAlive, int maxMessageBytes, PacketGuard packetGuard) {
    public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofDays(7);
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 9 * 1024 * 1024;

    public MqttSettings {
        Objects.requireNonNull(brokerUrl, "brokerUrl");
        Objects.requireNonNull(socketFactory, "socketFactory");
        Objects.requireNonNull(sessionExpiry, "sessionExpiry");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(keepAlive, "keepAlive");
        Objects.requireNonNull(packetGuard, "packetGuard");
        Problems.of("MQTT settings")
                .check(!(!brokerUrl.startsWith("tcp://") && !brokerUrl.startsWith("ssl://")),
                        "broker URL '" + brokerUrl + "' is not tcp://host:port or ssl://host:port")
                .check(!(brokerUrl.startsWith("ssl://") && !(socketFactory.orElse(null) instanceof javax.net.ssl.SSLSocketFactory)),
                        "an ssl:// broker needs TLS material (--tls DIR)")
                .check(qos >= 0 && qos <= 2, "qos " + qos + " is not 0, 1 or 2")
                .check(!(sessionExpiry.isNegative() || sessionExpiry.getSeconds() > 0xFFFF_FFFEL),
                        "session expiry " + sessionExpiry + " is out of range")
                .check(!(connectTimeout.isNegative() || connectTimeout.isZero() || keepAlive.isNegative()),
                        "connect timeout and keep-alive must be positive")
                .check(!(keepAlive.getSeconds() > 65535),
                        "keep-alive " + keepAlive.getSeconds() + " s is over MQTT's 65535 s")
                .check(maxMessageBytes >= 1024, "max message size " + maxMessageBytes + " is under 1 KiB")
                .orThrow();
    }

    /** Settings with the default {@link PacketGuard}. */
    public MqttSettings(String brokerUrl, Optional<SocketFactory> socketFactory, int qos, Duration sessionExpiry,
                        Duration connectTimeout, Duration keepAlive, int maxMessageBytes) {
        this(brokerUrl, socketFactory, qos, sessionExpiry, connectTimeout, keepAlive, maxMessageBytes, PacketGuard.DEFAULT);
    }

    /** Settings with the defaults for {@code brokerUrl}, over plain TCP with TCP_NODELAY. */
    public static MqttSettings of(String brokerUrl) {
        return of(brokerUrl, new NoDelaySocketFactory());
    }

    /** Settings with the defaults for {@code brokerUrl} over {@code sockets} (an SSL socket factory for {@code ssl://}). */
    public static MqttSettings of(String brokerUrl, SocketFactory sockets) {
        return new MqttSettings(brokerUrl, Optional.of(sockets), 1, DEFAULT_SESSION_EXPIRY,
                Duration.ofSeconds(10), Duration.ofSeconds(30), DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * Settings for {@code brokerUrl} from the routes' placeholders ({@code ota.mqtt.*}: QoS,
     * session expiry, connect timeout, keep-alive, message size, packet timeout and minimum
     * transfer rate), over plain TCP with TCP_NODELAY.
     */
    public static MqttSettings of(String brokerUrl, java.util.Properties p) {
        return of(brokerUrl, p, new NoDelaySocketFactory());
    }

    /** {@link #of(String, java.util.Properties)} over {@code sockets} (an SSL socket factory for {@code ssl://}). */
    public static MqttSettings of(String brokerUrl, java.util.Properties p, SocketFactory sockets) {
        return new MqttSettings(brokerUrl, Optional.of(sockets),
                dev.wasmota.protocol.RouteProperties.intValue(p, "ota.mqtt.qos"),
                Duration.ofSeconds(dev.wasmota.protocol.RouteProperties.intValue(p, "ota.mqtt.sessionExpirySeconds")),
                Duration.ofSeconds(dev.wasmota.protocol.RouteProperties.intValue(p, "ota.mqtt.connectTimeoutSeconds")),
                Duration.ofSeconds(dev.wasmota.protocol.RouteProperties.intValue(p, "ota.mqtt.keepAliveSeconds")),
                dev.wasmota.protocol.RouteProperties.intValue(p, "ota.mqtt.maxMessageBytes"), PacketGuard.of(p));
    }

    public MqttSettings withSocketFactory(SocketFactory factory) {
        return new MqttSettings(brokerUrl, Optional.of(factory), qos, sessionExpiry, connectTimeout, keepAlive, maxMessageBytes,
                packetGuard);
    }

    public MqttSettings withBrokerUrl(String url) {
        return new MqttSettings(url, socketFactory, qos, sessionExpiry, connectTimeout, keepAlive, maxMessageBytes, packetGuard);
    }

    public MqttSettings withPacketGuard(PacketGuard guard) {
        return new MqttSettings(brokerUrl, socketFactory, qos, sessionExpiry, connectTimeout, keepAlive, maxMessageBytes, guard);
    }

    /** These settings with {@code listener} hearing of every connection dropped for a slow retrieval. */
    public MqttSettings withSlowRetrievalListener(SlowRetrieval.Listener listener) {
        return withPacketGuard(packetGuard.withListener(listener));
    }
}

package dev.wasmota.transport;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MqttSettingsTest {
    static final Optional<SocketFactory> PLAIN = Optional.of(SocketFactory.getDefault());

    static MqttSettings settings(String url, Optional<SocketFactory> factory, int qos, Duration session, Duration connect,
                                 Duration keepAlive, int maxBytes) {
        return new MqttSettings(url, factory, qos, session, connect, keepAlive, maxBytes);
    }

    static MqttSettings withQos(int qos) {
        return settings("tcp://h:1883", PLAIN, qos, Duration.ofDays(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 1024);
    }

    static String problem(Runnable build) {
        return assertThrows(IllegalArgumentException.class, build::run).getMessage();
    }

    @Test
    void givesTheDocumentedDefaults() {
        MqttSettings s = MqttSettings.of("tcp://localhost:1883");
        assertEquals("tcp://localhost:1883", s.brokerUrl());
        assertInstanceOf(NoDelaySocketFactory.class, s.socketFactory().orElseThrow());
        assertEquals(1, s.qos());
        assertEquals(Duration.ofDays(7), s.sessionExpiry());
        assertEquals(MqttSettings.DEFAULT_SESSION_EXPIRY, s.sessionExpiry());
        assertEquals(Duration.ofSeconds(10), s.connectTimeout());
        assertEquals(Duration.ofSeconds(30), s.keepAlive());
        assertEquals(9 * 1024 * 1024, s.maxMessageBytes());
        assertEquals(MqttSettings.DEFAULT_MAX_MESSAGE_BYTES, s.maxMessageBytes());
        assertEquals(PacketGuard.DEFAULT, s.packetGuard());
        assertEquals(Duration.ofSeconds(10), s.packetGuard().timeout());
        assertEquals(32 * 1024, s.packetGuard().minBytesPerSecond());
    }

    @Test
    void readsThePacketGuardFromTheRouteSettingsAndKeepsItInCopies() {
        java.util.Properties p = dev.wasmota.protocol.RouteProperties.with(java.util.Map.of(
                "ota.mqtt.packetTimeoutMillis", "2000", "ota.mqtt.minBytesPerSecond", "100"));
        MqttSettings s = MqttSettings.of("tcp://h:1883", p).withBrokerUrl("tcp://other:1883")
                .withSocketFactory(SocketFactory.getDefault());
        assertEquals(Duration.ofSeconds(2), s.packetGuard().timeout());
        assertEquals(100, s.packetGuard().minBytesPerSecond());
        SlowRetrieval.Listener l = e -> { };
        assertSame(l, s.withSlowRetrievalListener(l).packetGuard().listener());
        assertEquals(Duration.ofSeconds(2), s.withSlowRetrievalListener(l).packetGuard().timeout());
    }

    @Test
    void boundsAPacketByTheBasePlusItsSizeAtTheMinimumRate() {
        PacketGuard g = PacketGuard.DEFAULT;
        assertEquals(10_000_000_000L, g.allowanceNanos(0));
        assertEquals(11_000_000_000L, g.allowanceNanos(32 * 1024));
        long largest = 268_435_455L;
        PacketGuard slowest = new PacketGuard(Duration.ofDays(1), 1, SlowRetrieval.Listener.NONE);
        assertEquals(Duration.ofDays(1).toNanos() + largest * 1_000_000_000L, slowest.allowanceNanos(largest), "no overflow");
        assertFalse(PacketGuard.OFF.enabled());
        assertTrue(g.enabled());
    }

    @Test
    void refusesANegativePacketTimeoutAndANonPositiveRateNamingBoth() {
        String why = problem(() -> new PacketGuard(Duration.ofMillis(-1), 0, SlowRetrieval.Listener.NONE));
        assertTrue(why.contains("packet timeout -1 ms"), why);
        assertTrue(why.contains("minimum transfer rate 0 B/s"), why);
        assertTrue(problem(() -> PacketGuard.of(dev.wasmota.protocol.RouteProperties.with(java.util.Map.of(
                "ota.mqtt.minBytesPerSecond", "-5")))).contains("-5 B/s"));
    }

    @Test
    void fitsTheLargestUpdateMessageInTheDefaultMessageSize() {
        assertTrue(dev.wasmota.protocol.wire.UpdateMessage.MAX_BYTES <= MqttSettings.DEFAULT_MAX_MESSAGE_BYTES);
    }

    @Test
    void refusesSslBrokerWithoutSocketFactory() {
        String why = problem(() -> settings("ssl://broker:8883", Optional.empty(), 1, Duration.ofDays(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1024));
        assertTrue(why.contains("ssl://"), why);
    }

    @Test
    void acceptsSslBrokerWithSocketFactory() {
        MqttSettings s = settings("ssl://broker:8883", Optional.of(SSLSocketFactory.getDefault()), 1, Duration.ofDays(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 1024);
        assertEquals("ssl://broker:8883", s.brokerUrl());
    }

    @Test
    void acceptsTcpBrokerWithoutSocketFactory() {
        assertDoesNotThrow(() -> settings("tcp://h:1883", Optional.empty(), 1, Duration.ofDays(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), 1024));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost:1883", "http://h:80", "mqtt://h:1883", "TCP://h:1883", "ws://h:9001"})
    void refusesBrokerUrlOfAnotherScheme(String url) {
        String why = problem(() -> MqttSettings.of(url));
        assertTrue(why.contains("'" + url + "'"), why);
    }

    @Test
    void refusesNullBrokerUrlAndFactoryOption() {
        assertThrows(NullPointerException.class, () -> MqttSettings.of(null));
        assertThrows(NullPointerException.class, () -> settings("tcp://h:1", null, 1, Duration.ZERO, Duration.ofSeconds(1),
                Duration.ZERO, 1024));
    }

    @Test
    void acceptsQosZeroToTwoOnly() {
        for (int q = 0; q <= 2; q++) {
            assertEquals(q, withQos(q).qos());
        }
        assertTrue(problem(() -> withQos(-1)).contains("qos -1"));
        assertTrue(problem(() -> withQos(3)).contains("qos 3"));
    }

    @Test
    void boundsSessionExpiryToTheMqttRange() {
        Duration max = Duration.ofSeconds(0xFFFF_FFFEL);
        assertEquals(max, settings("tcp://h:1", PLAIN, 1, max, Duration.ofSeconds(1), Duration.ZERO, 1024).sessionExpiry());
        assertEquals(Duration.ZERO,
                settings("tcp://h:1", PLAIN, 1, Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, 1024).sessionExpiry());
        assertTrue(problem(() -> settings("tcp://h:1", PLAIN, 1, max.plusSeconds(1), Duration.ofSeconds(1), Duration.ZERO,
                1024)).contains("session expiry"));
        assertTrue(problem(() -> settings("tcp://h:1", PLAIN, 1, Duration.ofSeconds(-1), Duration.ofSeconds(1),
                Duration.ZERO, 1024)).contains("session expiry"));
    }

    @Test
    void refusesNonPositiveConnectTimeoutAndNegativeKeepAlive() {
        assertTrue(problem(() -> settings("tcp://h:1", PLAIN, 1, Duration.ZERO, Duration.ZERO, Duration.ZERO, 1024))
                .contains("connect timeout"));
        assertTrue(problem(() -> settings("tcp://h:1", PLAIN, 1, Duration.ZERO, Duration.ofSeconds(-5), Duration.ZERO, 1024))
                .contains("connect timeout"));
        assertTrue(problem(() -> settings("tcp://h:1", PLAIN, 1, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(-1),
                1024)).contains("keep-alive"));
    }

    @Test
    void refusesMaxMessageSizeUnderOneKib() {
        assertEquals(1024, withQos(1).maxMessageBytes());
        assertTrue(problem(() -> settings("tcp://h:1", PLAIN, 1, Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, 1023))
                .contains("1023"));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        String why = problem(() -> settings("ftp://h", Optional.empty(), 7, Duration.ofSeconds(-1), Duration.ZERO,
                Duration.ofSeconds(-1), 10));
        assertTrue(why.contains("'ftp://h'"), why);
        assertTrue(why.contains("qos 7"), why);
        assertTrue(why.contains("session expiry"), why);
        assertTrue(why.contains("connect timeout"), why);
        assertTrue(why.contains("max message size 10"), why);
        assertEquals(4, why.split("; ").length - 1, why);
    }

    @Test
    void reportsBothTheSchemeAndTheMissingTlsMaterialForAnSslBroker() {
        String why = problem(() -> settings("ssl://h:8883", Optional.empty(), 9, Duration.ZERO, Duration.ofSeconds(1),
                Duration.ZERO, 1024));
        assertTrue(why.contains("TLS"), why);
        assertTrue(why.contains("qos 9"), why);
    }

    @Test
    void copiesWithAnotherSocketFactoryOrBrokerUrl() {
        SocketFactory tls = SSLSocketFactory.getDefault();
        MqttSettings base = settings("tcp://h:1883", Optional.empty(), 2, Duration.ofHours(1), Duration.ofSeconds(3),
                Duration.ofSeconds(4), 2048);
        MqttSettings secured = base.withSocketFactory(tls).withBrokerUrl("ssl://h:8883");
        assertSame(tls, secured.socketFactory().orElseThrow());
        assertEquals("ssl://h:8883", secured.brokerUrl());
        assertEquals(2, secured.qos());
        assertEquals(Duration.ofHours(1), secured.sessionExpiry());
        assertEquals(Duration.ofSeconds(3), secured.connectTimeout());
        assertEquals(Duration.ofSeconds(4), secured.keepAlive());
        assertEquals(2048, secured.maxMessageBytes());
        assertFalse(base.socketFactory().isPresent());
    }

    @Test
    void revalidatesWhenTheBrokerUrlChanges() {
        MqttSettings plain = settings("tcp://h:1883", Optional.empty(), 1, Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO,
                1024);
        assertThrows(IllegalArgumentException.class, () -> plain.withBrokerUrl("ssl://h:8883"));
        assertThrows(IllegalArgumentException.class, () -> plain.withBrokerUrl("h:8883"));
    }
}

package dev.wasmota.transport;

import dev.wasmota.protocol.RouteProperties;
import dev.wasmota.protocol.Topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoutePropertiesTest {
    static final Set<String> TEXT_KEYS = Set.of("ota.topic.root", "ota.oem.group", "ota.oem.worker");

    @Test
    void holdsADefaultAndADescriptionForEveryKey() {
        Properties p = RouteProperties.with(Map.of());
        assertEquals(RouteProperties.DEFAULTS.keySet(), p.stringPropertyNames());
        RouteProperties.DEFAULTS.forEach((k, v) -> {
            assertEquals(2, v.length, k);
            assertEquals(v[0], p.getProperty(k), k);
            assertFalse(v[0].isBlank(), k);
            assertFalse(v[1].isBlank(), k);
        });
    }

    @Test
    void holdsTheKeysTheRoutesUse() {
        assertTrue(RouteProperties.DEFAULTS.keySet().containsAll(Set.of("ota.topic.root", "ota.mqtt.qos",
                "ota.mqtt.sessionExpirySeconds", "ota.mqtt.connectTimeoutSeconds", "ota.mqtt.keepAliveSeconds",
                "ota.mqtt.maxMessageBytes", "ota.oem.group", "ota.oem.worker", "ota.dispatch.periodMillis",
                "ota.dispatch.scanMillis", "ota.campaign.tickMillis", "ota.route.redeliveries",
                "ota.route.redeliveryDelayMillis", "ota.vehicle.watchMillis", "ota.supplier.resultTimeoutSeconds",
                "ota.mqtt.packetTimeoutMillis", "ota.mqtt.minBytesPerSecond")));
    }

    @Test
    void givesNumericDefaultsThatParseAndAgreeWithTheMqttDefaults() {
        Properties p = RouteProperties.with(Map.of());
        RouteProperties.DEFAULTS.keySet().stream().filter(k -> !TEXT_KEYS.contains(k))
                .forEach(k -> assertTrue(RouteProperties.intValue(p, k) >= 0, k));
        MqttSettings mqtt = MqttSettings.of("tcp://localhost:1883");
        assertEquals(mqtt.qos(), RouteProperties.intValue(p, "ota.mqtt.qos"));
        assertEquals(mqtt.sessionExpiry().getSeconds(), RouteProperties.intValue(p, "ota.mqtt.sessionExpirySeconds"));
        assertEquals(mqtt.connectTimeout().getSeconds(), RouteProperties.intValue(p, "ota.mqtt.connectTimeoutSeconds"));
        assertEquals(mqtt.keepAlive().getSeconds(), RouteProperties.intValue(p, "ota.mqtt.keepAliveSeconds"));
        assertEquals(mqtt.maxMessageBytes(), RouteProperties.intValue(p, "ota.mqtt.maxMessageBytes"));
        assertEquals(mqtt.packetGuard().timeout().toMillis(), RouteProperties.intValue(p, "ota.mqtt.packetTimeoutMillis"));
        assertEquals(mqtt.packetGuard().minBytesPerSecond(), RouteProperties.intValue(p, "ota.mqtt.minBytesPerSecond"));
        assertEquals(Topics.DEFAULT_ROOT, new Topics(p.getProperty("ota.topic.root")).root());
    }

    @Test
    void appliesOverridesAndKeepsTheOtherDefaults() {
        Properties p = RouteProperties.with(Map.of("ota.mqtt.qos", "2", "ota.topic.root", "fleet"));
        assertEquals("2", p.getProperty("ota.mqtt.qos"));
        assertEquals("fleet", p.getProperty("ota.topic.root"));
        assertEquals(RouteProperties.DEFAULTS.get("ota.oem.group")[0], p.getProperty("ota.oem.group"));
        assertEquals(RouteProperties.DEFAULTS.size(), p.size());
    }

    @Test
    void leavesTheDefaultsUntouchedByAnOverride() {
        RouteProperties.with(Map.of("ota.mqtt.qos", "0"));
        assertEquals("1", RouteProperties.DEFAULTS.get("ota.mqtt.qos")[0]);
        assertEquals("1", RouteProperties.with(Map.of()).getProperty("ota.mqtt.qos"));
    }

    @Test
    void refusesUnknownKeyNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RouteProperties.with(Map.of("ota.mqtt.qoss", "1")));
        assertTrue(e.getMessage().contains("'ota.mqtt.qoss'"), e.getMessage());
        RouteProperties.DEFAULTS.keySet().forEach(k -> assertTrue(e.getMessage().contains(k), k));
    }

    @Test
    void keepsTheDefaultsUnmodifiable() {
        assertThrows(UnsupportedOperationException.class, () -> RouteProperties.DEFAULTS.put("x", new String[] {"a", "b"}));
    }

    @Test
    void readsWholeNumbersIgnoringSurroundingSpace() {
        Properties p = RouteProperties.with(Map.of("ota.mqtt.qos", " 2 ", "ota.route.redeliveries", "-1"));
        assertEquals(2, RouteProperties.intValue(p, "ota.mqtt.qos"));
        assertEquals(-1, RouteProperties.intValue(p, "ota.route.redeliveries"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.5", "1e3", "0x10", "2147483648", "10ms"})
    void refusesSettingThatIsNotAWholeNumber(String value) {
        Properties p = RouteProperties.with(Map.of("ota.dispatch.periodMillis", value));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RouteProperties.intValue(p, "ota.dispatch.periodMillis"));
        assertTrue(e.getMessage().contains("ota.dispatch.periodMillis"), e.getMessage());
    }

    @Test
    void refusesMissingSettingAsNotANumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RouteProperties.intValue(new Properties(), "ota.mqtt.qos"));
        assertTrue(e.getMessage().contains("ota.mqtt.qos"), e.getMessage());
    }

    @Test
    void refusesTextSettingReadAsANumber() {
        assertThrows(IllegalArgumentException.class,
                () -> RouteProperties.intValue(RouteProperties.with(Map.of()), "ota.oem.worker"));
    }
}

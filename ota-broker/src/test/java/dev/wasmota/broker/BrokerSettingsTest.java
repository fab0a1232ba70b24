package dev.wasmota.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerSettingsTest {

    private static final Path DIR = Path.of("data");

    @Test
    void hasDocumentedDefaults() {
        BrokerSettings s = BrokerSettings.builder(DIR).build();
        assertEquals("127.0.0.1", s.host());
        assertEquals(1883, s.port());
        assertEquals(10 * 1024 * 1024, s.maxMessageBytes());
        assertEquals(100_000, s.maxQueuedMessagesPerClient());
        assertEquals(Duration.ofDays(7), s.sessionExpiry());
        assertTrue(s.tls().isEmpty());
        assertTrue(s.plainListener());
        assertTrue(s.oemClients().isEmpty());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        BrokerException e = assertThrows(BrokerException.class, () -> BrokerSettings.builder(null)
                .host(" ").port(70_000).maxMessageBytes(0).maxQueuedMessagesPerClient(0)
                .sessionExpiry(Duration.ofSeconds(-1)).plainListener(false).oemClients(List.of("a/b")).build());
        for (String part : List.of("dataDir", "host", "port", "maxMessageBytes", "maxQueuedMessagesPerClient",
                "sessionExpiry", "no listener", "OEM client name")) {
            assertTrue(e.getMessage().contains(part), part + " missing in: " + e.getMessage());
        }
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void rejectsTlsOnThePlainPort() {
        BrokerException e = assertThrows(BrokerException.class, () -> BrokerSettings.builder(DIR).port(8883)
                .tls(new TlsListener(8883, DIR)).build());
        assertTrue(e.getMessage().contains("tls port and plain port"), e.getMessage());
    }

    @Test
    void derivesAVariantWithToBuilder() {
        BrokerSettings s = BrokerSettings.builder(DIR).port(0).maxMessageBytes(10).build();
        BrokerSettings t = s.toBuilder().port(1).build();
        assertEquals(10, t.maxMessageBytes());
        assertEquals(1, t.port());
    }
}

package dev.wasmota.broker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MosquittoBrokerTest {

    @TempDir
    Path dir;

    @Test
    void failsWithTheInstallCommandWhenMosquittoIsMissing() {
        BrokerException e = assertThrows(BrokerException.class, () -> MosquittoBroker.start(
                BrokerSettings.builder(dir).port(0).build(), dir.resolve("no-mosquitto")));
        assertTrue(e.getMessage().contains("install mosquitto: apt-get install -y mosquitto"), e.getMessage());
    }

    @Test
    void showsMosquittosLogWhenItCannotStart() throws Exception {
        Path material = Files.createDirectories(dir.resolve("empty-material"));
        BrokerException e = assertThrows(BrokerException.class, () -> MosquittoBroker.start(
                BrokerSettings.builder(dir).port(0).tls(new TlsListener(0, material)).build()));
        assertTrue(e.getMessage().contains("its log:") && e.getMessage().lines().count() > 1, e.getMessage());
    }

    @Test
    void writesTheSettingsLimitsIntoItsConfig() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(BrokerSettings.builder(dir).port(0).maxMessageBytes(5000).build())) {
            assertTrue(broker.url().startsWith("tcp://"));
            String config = Files.readString(dir.resolve("mosquitto/mosquitto.conf"));
            assertTrue(config.contains("max_packet_size 5000\n"), config);
            assertTrue(config.contains("max_queued_messages 100000\n"), config);
            assertTrue(config.contains("persistent_client_expiration 168h\n"), config);
            assertTrue(config.contains("persistence true\n"), config);
        }
    }
}

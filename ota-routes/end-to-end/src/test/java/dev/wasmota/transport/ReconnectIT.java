package dev.wasmota.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasmota.broker.BrokerKind;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.MosquittoBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thirty clients of one JVM come back after the broker was down for 3 s. With Paho's automatic
 * reconnect (one back-off shared by every client of the JVM) 5 of 30 were back after 90 s.
 */
class ReconnectIT {
    private static final int CLIENTS = 30;

    @TempDir
    Path dir;

    @Test
    void everyClientOfAProcessReconnectsAfterABrokerOutage() throws Exception {
        MosquittoBroker broker = (MosquittoBroker) BrokerKind.MOSQUITTO.start(BrokerSettings.builder(dir).port(0).build());
        List<HeldMessagesClient> clients = new ArrayList<>();
        try {
            MqttSettings s = MqttSettings.of(broker.url());
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(MqttClients.connect(s, "client-" + i, i % 2 == 0, i % 2 == 0));
            }
            broker.close();
            Thread.sleep(3000);
            broker = broker.again();
            long end = System.nanoTime() + 30_000_000_000L;
            while (connected(clients) < CLIENTS && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            assertEquals(CLIENTS, connected(clients), "clients back within 30 s of the broker's return");
        } finally {
            clients.forEach(MqttClients::closeQuietly);
            broker.close();
        }
    }

    private static long connected(List<HeldMessagesClient> clients) {
        return clients.stream().filter(HeldMessagesClient::isConnected).count();
    }
}

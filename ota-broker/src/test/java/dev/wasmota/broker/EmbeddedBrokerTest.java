package dev.wasmota.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerTest {

    @TempDir
    Path dir;

    @Test
    void startsOnAFreePortAndRelaysAMessage() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.builder(dir).port(0).build())) {
            assertTrue(broker.startTime().toMillis() > 0);
            assertTrue(broker.url().matches("tcp://127\\.0\\.0\\.1:\\d+"), broker.url());
            assertTrue(broker.tlsUrl().isEmpty());
            try (TestClient sub = TestClient.connect(broker.url(), "sub");
                 TestClient pub = TestClient.connect(broker.url(), "pub")) {
                assertEquals(1, sub.subscribe("ota/x", 1));
                assertEquals(0, pub.publish("ota/x", "hello"));
                TestClient.Received got = sub.next(Duration.ofSeconds(5));
                assertNotNull(got);
                assertEquals("hello", got.payload());
            }
        }
    }

    @Test
    void writesConfigWithStatisticsOffAndRaisedLimits() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.builder(dir).port(0).maxMessageBytes(1234).build())) {
            assertTrue(broker.url().startsWith("tcp://"));
            String config = Files.readString(dir.resolve("hivemq/conf/config.xml"));
            assertTrue(config.contains("<anonymous-usage-statistics>\n    <enabled>false</enabled>"), config);
            assertTrue(config.contains("<max-packet-size>1234</max-packet-size>"), config);
            assertTrue(config.contains("<server-receive-maximum>65535</server-receive-maximum>"), config);
            assertTrue(config.contains("<max-queue-size>100000</max-queue-size>"), config);
        }
    }

    @Test
    void closeIsIdempotent() {
        EmbeddedBroker broker = EmbeddedBroker.start(BrokerSettings.builder(dir).port(0).build());
        broker.close();
        broker.close();
    }

    @Test
    void refusesAPortInUseWithOneLineReason() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            BrokerException e = assertThrows(BrokerException.class,
                    () -> EmbeddedBroker.start(BrokerSettings.builder(dir).port(taken.getLocalPort()).build()));
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort()), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }
}

package dev.wasmota.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.BrokerKind;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.MosquittoBroker;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishes through a window against a real Mosquitto: at most the window in flight, every
 * message acknowledged and delivered; a broker with a receive maximum below the window (Paho's
 * 32202) makes publishes wait, not fail; a broker that stops answering leaves them unanswered and
 * a publish waiting for room fails after its timeout instead of waiting for ever.
 */
class WindowedPublisherIT {
    private static final int MESSAGES = 400;

    @TempDir
    Path dir;

    @Test
    void keepsAtMostItsWindowInFlightAndEveryMessageIsAcknowledgedAndDelivered() throws Exception {
        try (MosquittoBroker broker = (MosquittoBroker) BrokerKind.MOSQUITTO.start(BrokerSettings.builder(dir).port(0).build())) {
            assertEquals(0, publishAllThrough(broker.url(), 8).busyWaits(), "the broker's receive maximum (1000) was never met");
        }
    }

    @Test
    void aBrokerReceiveMaximumBelowTheWindowMakesPublishesWaitNotFail() throws Exception {
        // Mosquitto tells the client a receive maximum of 4; Paho refuses a 5th publish in flight at once (32202)
        Process mosquitto = mosquitto("max_inflight_messages 4\n");
        try {
            WindowedPublisher out = publishAllThrough("tcp://127.0.0.1:" + port, 12);
            assertTrue(out.busyWaits() > 0, "Paho refused publishes over the broker's receive maximum of 4, and they waited");
        } finally {
            mosquitto.destroy();
            mosquitto.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBrokerThatStopsAnsweringLeavesPublishesUnansweredAndAPublishWaitingForRoomTimesOut() throws Exception {
        MosquittoBroker broker = (MosquittoBroker) BrokerKind.MOSQUITTO.start(BrokerSettings.builder(dir).port(0).build());
        HeldMessagesClient client = MqttClients.connect(MqttSettings.of(broker.url()), "windowed-paused", false);
        try {
            WindowedPublisher out = new WindowedPublisher(client, 3, Duration.ofMillis(800));
            broker.pause();
            List<CompletableFuture<Void>> inFlight = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                inFlight.add(out.publish("w/paused", new byte[] {(byte) i}, 1, false));
            }
            long t0 = System.nanoTime();
            CompletableFuture<Void> waiting = out.publish("w/paused", new byte[] {9}, 1, false);
            long waitedMillis = (System.nanoTime() - t0) / 1_000_000;

            assertTrue(waiting.isCompletedExceptionally(), "no room in the window within its timeout: refused, not waiting for ever");
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, waiting::get);
            assertEquals(MqttClientException.REASON_CODE_CLIENT_TIMEOUT, ((MqttException) e.getCause()).getReasonCode());
            assertTrue(waitedMillis >= 700, "it waited for room first: " + waitedMillis + " ms");
            assertEquals(3, out.inFlight());
            inFlight.forEach(f -> assertFalse(f.isDone(), "unanswered while the broker is frozen"));

            broker.resume();
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            assertEquals(0, out.inFlight(), "every permit back once the broker answered");
        } finally {
            broker.resume();
            MqttClients.closeQuietly(client);
            broker.close();
        }
    }

    private WindowedPublisher publishAllThrough(String url, int window) throws Exception {
        AtomicInteger delivered = new AtomicInteger();
        HeldMessagesClient sub = MqttClients.connect(MqttSettings.of(url), "windowed-sub", false);
        HeldMessagesClient pub = MqttClients.connect(MqttSettings.of(url), "windowed-pub", false);
        try {
            sub.setCallback(new MessageListener((t, m) -> delivered.incrementAndGet()));
            sub.subscribeLater(new String[] {"w/+"}, 1).waitForCompletion(10_000);
            WindowedPublisher out = new WindowedPublisher(pub, window, Duration.ofSeconds(30));
            List<CompletableFuture<Void>> acks = new ArrayList<>();
            int most = 0;
            for (int i = 0; i < MESSAGES; i++) {
                acks.add(out.publish("w/" + (i % 7), ("m" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8), 1, false));
                most = Math.max(most, out.inFlight());
                assertTrue(out.inFlight() <= window, "in flight " + out.inFlight() + " > window " + window);
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertTrue(most > 1, "publishes overlapped (most in flight " + most + ")");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (delivered.get() < MESSAGES && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertEquals(MESSAGES, delivered.get(), "every acknowledged message reached the subscriber");
            assertEquals(0, out.inFlight());
            return out;
        } finally {
            MqttClients.closeQuietly(pub);
            MqttClients.closeQuietly(sub);
        }
    }

    private int port;

    private Process mosquitto(String extra) throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n" + extra);
        Process p = new ProcessBuilder(MosquittoBroker.BINARY.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < end) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return p;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        p.destroy();
        throw new IllegalStateException("mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")));
    }
}

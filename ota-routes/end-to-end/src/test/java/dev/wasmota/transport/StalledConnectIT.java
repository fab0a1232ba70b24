package dev.wasmota.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.MosquittoBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconnects that Paho would leave stalled for good, on a real Mosquitto: an acknowledgement made
 * after the connection was lost (as a route's exchange that outlives its connection makes it), and
 * a broker that accepts the connection but never answers CONNACK.
 */
class StalledConnectIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /**
     * Without the guard, Paho queues the late PUBACK while disconnected, its next connect's sender
     * finds it ahead of CONNECT and stops, and the connect waits for it forever: the client stays
     * offline (seen after broker restarts mid-campaign).
     */
    @Test
    void aLateAcknowledgementIsDroppedAndTheMessageComesAgainAfterTheReconnect() throws Exception {
        MosquittoBroker broker = MosquittoBroker.start(BrokerSettings.builder(dir).port(0).build());
        HeldMessagesClient consumer = null;
        HeldMessagesClient publisher = null;
        try {
            MqttSettings s = MqttSettings.of(broker.url());
            consumer = MqttClients.connect(s, "late-ack-consumer", true, true);
            BlockingQueue<MqttMessage> arrived = new LinkedBlockingQueue<>();
            consumer.setCallback(new MessageListener((topic, m) -> arrived.add(m)));
            consumer.subscribe("late/ack", 1);
            publisher = MqttClients.connect(s, "late-ack-publisher", false);
            publisher.publish("late/ack", "update".getBytes(StandardCharsets.UTF_8), 1, false);
            MqttMessage first = arrived.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(first != null, "the message arrived");

            broker.close();
            HeldMessagesClient c = consumer;
            await("the consumer to see the connection lost", () -> !c.isConnected());
            consumer.messageArrivedComplete(first.getId(), first.getQos());
            assertEquals(1, consumer.lateAcksDropped(), "the acknowledgement of a lost connection is not queued");

            broker = broker.again();
            await("the consumer to reconnect", c::isConnected);
            MqttMessage again = arrived.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(again != null, "the unacknowledged message is delivered again on the new connection");
            assertArrayEquals(first.getPayload(), again.getPayload());
            consumer.messageArrivedComplete(again.getId(), again.getQos());
            assertEquals(1, consumer.lateAcksDropped(), "the acknowledgement on the live connection is sent");
            assertEquals(0, consumer.abandonedConnects(), "no connect had to be forced down");
        } finally {
            MqttClients.closeQuietly(consumer);
            MqttClients.closeQuietly(publisher);
            broker.close();
        }
    }

    /**
     * Paho's asynchronous connect has no deadline once the socket is open: without the watchdog
     * the client waits for CONNACK from the silent listener forever and never comes back.
     */
    @Test
    void aConnectWithNoConnackIsForcedDownAndTriedAgain() throws Exception {
        MosquittoBroker broker = MosquittoBroker.start(BrokerSettings.builder(dir).port(0).build());
        HeldMessagesClient client = null;
        try (SilentProxy proxy = new SilentProxy(broker.url())) {
            MqttSettings s = MqttSettings.of(proxy.url());
            s = new MqttSettings(s.brokerUrl(), s.socketFactory(), s.qos(), s.sessionExpiry(), Duration.ofSeconds(1),
                    s.keepAlive(), s.maxMessageBytes(), s.packetGuard());
            client = MqttClients.connect(s, "silent-listener-client", true);
            HeldMessagesClient c = client;

            proxy.silent(true);
            proxy.cutAll();
            await("the client to see the connection lost", () -> !c.isConnected());
            await("a reconnect to reach the silent listener", () -> proxy.swallowed() >= 1);
            await("the stalled attempt to be forced down", () -> c.abandonedConnects() >= 1);
            assertFalse(client.isConnected());

            proxy.silent(false);
            await("the client to reconnect once the broker answers", c::isConnected);
            assertTrue(client.abandonedConnects() >= 1);
        } finally {
            MqttClients.closeQuietly(client);
            broker.close();
        }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /**
     * A TCP proxy in front of a broker that, while silent, accepts connections and reads whatever
     * the client sends without ever answering (a broker that is wedged, or an attacker holding the
     * line).
     */
    private static final class SilentProxy implements AutoCloseable {
        private final ServerSocket server;
        private final String host;
        private final int port;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile boolean silent;
        private volatile int swallowed;

        SilentProxy(String brokerUrl) throws IOException {
            URI u = URI.create(brokerUrl);
            host = u.getHost();
            port = u.getPort();
            server = new ServerSocket(0, 50, InetAddress.getByName(host));
            daemon(this::accept);
        }

        String url() {
            return "tcp://" + host + ":" + server.getLocalPort();
        }

        void silent(boolean on) {
            silent = on;
        }

        int swallowed() {
            return swallowed;
        }

        void cutAll() {
            sockets.forEach(SilentProxy::closeQuietly);
            sockets.clear();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    sockets.add(client);
                    if (silent) {
                        swallowed++;
                        daemon(() -> pipe(client, OutputStream.nullOutputStream(), client));
                    } else {
                        Socket upstream = new Socket(host, port);
                        sockets.add(upstream);
                        daemon(() -> pipe(client, upstream, client, upstream));
                        daemon(() -> pipe(upstream, client, client, upstream));
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void pipe(Socket from, Socket to, Socket... close) {
            try {
                pipe(from, to.getOutputStream(), close);
            } catch (IOException e) {
                for (Socket s : close) {
                    closeQuietly(s);
                }
            }
        }

        private static void pipe(Socket from, OutputStream to, Socket... close) {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException ignored) {
                // one side went away
            } finally {
                for (Socket s : close) {
                    closeQuietly(s);
                }
            }
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }

        private static void daemon(Runnable r) {
            Thread t = new Thread(r, "silent-proxy");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            cutAll();
        }
    }
}

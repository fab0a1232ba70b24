package dev.wasmota.broker;

import dev.wasmota.transport.NoDelaySocketFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A Paho MQTT 5 test client that records what it receives and how it was disconnected, and reports
 * SUBACK/PUBACK reason codes instead of hiding them.
 */
public final class TestClient implements AutoCloseable {

    /** A received message. */
    public record Received(String topic, String payload, int qos) {
    }

    private static final long WAIT_MS = 10_000;

    private final MqttAsyncClient client;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<MqttDisconnectResponse> disconnects = new LinkedBlockingQueue<>();

    private TestClient(MqttAsyncClient client) {
        this.client = client;
        client.setCallback(new Recorder());
    }

    /** Connects with a clean session and TCP_NODELAY. */
    public static TestClient connect(String url, String clientId) throws MqttException {
        return connect(url, clientId, options(new NoDelaySocketFactory(), true, 0));
    }

    /** Connects with the given options; throws the connect failure (CONNACK reason code or TLS error). */
    public static TestClient connect(String url, String clientId, MqttConnectionOptions options) throws MqttException {
        TestClient c = new TestClient(new MqttAsyncClient(url, clientId, new MemoryPersistence()));
        try {
            c.client.connect(options).waitForCompletion(WAIT_MS);
        } catch (MqttException e) {
            c.closeQuietly();
            throw e;
        }
        return c;
    }

    /** Options for a session: clean or persistent ({@code expirySeconds} &gt; 0 keeps it while offline). */
    public static MqttConnectionOptions options(SocketFactory sockets, boolean cleanStart, long expirySeconds) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(sockets);
        o.setCleanStart(cleanStart);
        o.setSessionExpiryInterval(expirySeconds);
        o.setConnectionTimeout(10);
        o.setAutomaticReconnect(false);
        return o;
    }

    /** Subscribes and returns the SUBACK reason code (0–2 granted QoS, 0x80 and above refused). */
    public int subscribe(String filter, int qos) throws MqttException {
        IMqttToken token = client.subscribe(new MqttSubscription(filter, qos));
        token.waitForCompletion(WAIT_MS);
        return token.getReasonCodes()[0];
    }

    /** Publishes at QoS 1 and returns the PUBACK reason code (0 success, 0x10 no subscribers, 0x80+ refused). */
    public int publish(String topic, byte[] payload) throws MqttException {
        IMqttToken token = client.publish(topic, payload, 1, false);
        token.waitForCompletion(WAIT_MS);
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    public int publish(String topic, String payload) throws MqttException {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** The next message received within {@code timeout}, or null. */
    public Received next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The broker's (or the network's) disconnect within {@code timeout}, or null if still connected. */
    public MqttDisconnectResponse disconnection(Duration timeout) throws InterruptedException {
        return disconnects.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** Disconnects normally, leaving a persistent session on the broker. */
    public void disconnect() throws MqttException {
        client.disconnect().waitForCompletion(WAIT_MS);
        client.close();
    }

    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            if (client.isConnected()) client.disconnect().waitForCompletion(WAIT_MS);
        } catch (MqttException e) {
            // already gone
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // already closed
        }
    }

    private final class Recorder implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnects.add(response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos()));
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}

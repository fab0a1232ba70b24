package dev.wasmota.routes;

import dev.wasmota.transport.HeldMessagesClient;
import dev.wasmota.transport.MqttClients;
import dev.wasmota.transport.MessageListener;
import dev.wasmota.transport.MqttSettings;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/** A bare MQTT client for tests: watches topics (dead letters, status) and injects messages an attacker or a flaky network would. */
final class Probe implements AutoCloseable {
    record Message(String topic, byte[] payload) {
    }

    private final HeldMessagesClient client;
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();

    Probe(MqttSettings mqtt, String... filters) throws MqttException {
        client = MqttClients.connect(mqtt, "probe-" + Long.toHexString(System.nanoTime()), false);
        client.setCallback(new MessageListener((topic, message) -> received.add(new Message(topic, message.getPayload()))));
        for (String f : filters) {
            client.subscribe(f, 1);
        }
    }

    void publish(String topic, byte[] payload) throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        client.publish(topic, m);
    }

    /** The next message on {@code topic}, or an assertion failure after {@code timeout}. */
    Message next(String topic, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            Message m = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
            if (m == null) {
                throw new AssertionError("no message on " + topic + " within " + timeout.toSeconds() + " s");
            }
            if (m.topic().equals(topic)) {
                return m;
            }
        }
    }

    Message nextAny(Duration timeout) throws InterruptedException {
        Message m = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("nothing");
        }
        return m;
    }

    @Override
    public void close() {
        MqttClients.closeQuietly(client);
    }
}

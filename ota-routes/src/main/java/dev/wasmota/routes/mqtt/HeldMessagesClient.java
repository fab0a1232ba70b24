package dev.wasmota.routes.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttClientPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A Paho client that holds the messages a persistent session delivers right after CONNACK until
 * a consumer sets its callback, then hands them over in order. The Camel consumer connects first
 * and sets its callback afterwards; Paho silently drops (and never acknowledges) what arrives in
 * between, so a vehicle that was offline would not see its queued update until its next reconnect.
 * It also tells the consumer of a (re)connection from its own thread, never Paho's (see
 * {@code connectComplete} below), and reconnects by itself after a lost connection with its own
 * back-off ({@link Reconnector}), not Paho's automatic reconnect, whose back-off all clients of a
 * JVM share.
 */
public final class HeldMessagesClient extends MqttClient {
    private final Object lock = new Object();
    private final List<Object[]> held = new ArrayList<>();
    /** One thread at most, only while there is work: connect notifications in order, off Paho's callback thread. */
    private final ExecutorService connects = new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            r -> {
                Thread t = new Thread(r, "mqtt-connect-complete");
                t.setDaemon(true);
                return t;
            });
    private final Reconnector reconnector;
    private MqttCallback target;

    public HeldMessagesClient(String serverUri, String clientId, MqttClientPersistence persistence) throws MqttException {
        super(serverUri, clientId, persistence);
        reconnector = new Reconnector(aClient);
        super.setCallback(new Holder());
    }

    /**
     * Connects with {@code options}, and from then on reconnects with them whenever the
     * connection is lost, until {@link #disconnect} or {@link #close}. Turn Paho's own automatic
     * reconnect off in {@code options}.
     */
    @Override
    public void connect(MqttConnectionOptions options) throws MqttException {
        reconnector.connectedWith(options);
        try {
            super.connect(options);
        } catch (MqttException e) {
            reconnector.stop();
            throw e;
        }
    }

    @Override
    public void disconnect() throws MqttException {
        reconnector.stop();
        super.disconnect();
    }

    @Override
    public void disconnect(long quiesceTimeout) throws MqttException {
        reconnector.stop();
        super.disconnect(quiesceTimeout);
    }

    @Override
    public void disconnectForcibly() throws MqttException {
        reconnector.stop();
        super.disconnectForcibly();
    }

    @Override
    public void setCallback(MqttCallback callback) {
        List<Object[]> pending;
        synchronized (lock) {
            target = callback;
            pending = new ArrayList<>(held);
            held.clear();
        }
        for (Object[] m : pending) {
            try {
                callback.messageArrived((String) m[0], (MqttMessage) m[1]);
            } catch (Exception e) {
                callback.mqttErrorOccurred(new MqttException(e));
            }
        }
    }

    @Override
    public void close() throws MqttException {
        reconnector.stop();
        connects.shutdown();
        super.close();
    }

    @Override
    public void close(boolean force) throws MqttException {
        reconnector.stop();
        connects.shutdown();
        super.close(force);
    }

    /** How many messages are held for a consumer that has not set its callback yet. */
    public int heldCount() {
        synchronized (lock) {
            return held.size();
        }
    }

    private MqttCallback target() {
        synchronized (lock) {
            return target;
        }
    }

    private final class Holder implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            MqttCallback t;
            synchronized (lock) {
                t = target;
                if (t == null) {
                    held.add(new Object[] {topic, message});
                    return;
                }
            }
            t.messageArrived(topic, message);
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            MqttCallback t = target();
            if (t != null) {
                t.disconnected(response);
            }
            reconnector.connectionLost();
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            MqttCallback t = target();
            if (t != null) {
                t.mqttErrorOccurred(exception);
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            MqttCallback t = target();
            if (t != null) {
                t.deliveryComplete(token);
            }
        }

        /**
         * Hands on from another thread: Paho calls this holding the connect token's lock, and
         * Camel's consumer re-subscribes here synchronously; if the connection drops again before
         * the SUBACK (a flaky link, a slow retrieval cut off), Paho's receiver blocks on that lock
         * while shutting down and the client never reconnects.
         */
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            MqttCallback t = target();
            boolean again = reconnector.takeReconnecting() || reconnect;
            if (t != null) {
                try {
                    connects.execute(() -> t.connectComplete(again, serverURI));
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    // the client is closing
                }
            }
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            MqttCallback t = target();
            if (t != null) {
                t.authPacketArrived(reasonCode, properties);
            }
        }
    }
}

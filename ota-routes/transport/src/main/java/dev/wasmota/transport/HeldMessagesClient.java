package dev.wasmota.transport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.eclipse.paho.mqttv5.common.packet.MqttReturnCode;

/**
 * A Paho client that holds the messages a persistent session delivers right after CONNACK until
 * a consumer sets its callback, then hands them over in order. The Camel consumer connects first
 * and sets its callback afterwards; Paho silently drops (and never acknowledges) what arrives in
 * between, so a vehicle that was offline would not see its queued update until its next reconnect.
 * It also tells the consumer of a (re)connection from its own thread, never Paho's (see
 * {@code connectComplete} below), and reconnects by itself after a lost connection with its own
 * back-off ({@link Reconnector}), not Paho's automatic reconnect, whose back-off all clients of a
 * JVM share.
 *
 * <p>A manual acknowledgement ({@link #messageArrivedComplete}) made while the client is not
 * connected, or of a message that arrived on a connection since lost (and was not delivered again
 * since), is dropped, not sent: the broker delivers that message again on the new connection (its
 * session kept it unacknowledged), and the consumer acknowledges it there. Paho
 * would otherwise queue the stale PUBACK while disconnected, and on the next connect its sender
 * finds that PUBACK ahead of CONNECT, stops at once, and the connect waits for it forever (seen
 * after broker restarts: the client never sent CONNECT again). MQTT 5 also forbids sending it on
 * the new connection [MQTT-4.4.0-1].
 */
public final class HeldMessagesClient extends MqttClient {
    private static final System.Logger LOG = System.getLogger(HeldMessagesClient.class.getName());
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
    /** Run, in order, on the connect-notification thread after every reconnect (not the first connect). */
    private final List<Runnable> whenReconnected = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Guards {@link #connection}, {@link #arrivedOn} and {@link #lateAcks}. */
    private final Object acks = new Object();
    /** How many connections were lost so far: the number of the current (or next) one. */
    private int connection;
    /**
     * The connection each unacknowledged QoS 1 or 2 message last arrived on, by packet id (at most
     * 65535 entries); a message delivered again replaces its entry.
     */
    private final Map<Integer, Integer> arrivedOn = new HashMap<>();
    private int lateAcks;
    private long arrived;
    /** Whether the consumer acknowledges (only then are arrivals tracked: Paho acknowledges the others itself). */
    private volatile boolean manualAcks;

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
    /**
     * Subscribes to {@code filters} without waiting for the SUBACK, so it may be called from a
     * message callback (where waiting would hold up the very thread that completes the wait). A
     * filter subscribed again is replaced, and its retained message delivered again.
     */
    public IMqttToken subscribeLater(String[] filters, int qos) throws MqttException {
        int[] q = new int[filters.length];
        java.util.Arrays.fill(q, qos);
        return aClient.subscribe(filters, q);
    }

    /**
     * Publishes {@code message} to {@code topic} without waiting for the broker's acknowledgement:
     * {@code listener} hears of it (or of the failure) on Paho's callback thread. Paho refuses at
     * once (reason code 32202) while as many QoS 1 or 2 publishes are in flight as the broker's
     * receive maximum allows; {@link WindowedPublisher} keeps below that.
     */
    public IMqttToken publishLater(String topic, MqttMessage message, org.eclipse.paho.mqttv5.client.MqttActionListener listener)
            throws MqttException {
        return aClient.publish(topic, message, null, listener);
    }

    /**
     * Runs {@code action} after every reconnect of this client (not its first connect), on the
     * thread that tells of connections, never Paho's: it may publish and wait for the
     * acknowledgement. What it throws is logged.
     */
    public void whenReconnected(Runnable action) {
        whenReconnected.add(action);
    }

    /** Unsubscribes from {@code filters} without waiting for the UNSUBACK (see {@link #subscribeLater}). */
    public IMqttToken unsubscribeLater(String[] filters) throws MqttException {
        return aClient.unsubscribe(filters);
    }

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

    /**
     * Acknowledges message {@code messageId} if it arrived on the connection the client still has;
     * otherwise drops the acknowledgement (the broker delivers the message again).
     */
    @Override
    public void messageArrivedComplete(int messageId, int qos) throws MqttException {
        synchronized (acks) {
            Integer on = arrivedOn.remove(messageId);
            if (!isConnected() || on != null && on != connection) {
                lateAcks++;
                LOG.log(System.Logger.Level.INFO, getClientId() + ": not acknowledging message " + messageId
                        + " after its connection was lost; the broker delivers it again");
                return;
            }
            super.messageArrivedComplete(messageId, qos);
        }
    }

    @Override
    public void setManualAcks(boolean manual) {
        manualAcks = manual;
        super.setManualAcks(manual);
    }

    /** How many QoS 1 or 2 messages arrived so far, on any connection (counted with manual acknowledgement). */
    public long messagesArrived() {
        synchronized (acks) {
            return arrived;
        }
    }

    /** How many QoS 1 or 2 messages arrived and are not acknowledged yet. */
    public int unacknowledged() {
        synchronized (acks) {
            return arrivedOn.size();
        }
    }

    /**
     * Disconnects and has the broker discard this client's session at once (session expiry 0 in
     * DISCONNECT [MQTT-3.14.2.2]): nothing more is queued for it. Messages still queued in the
     * session are lost, so drain it first.
     */
    public void endSession(long timeoutMillis) throws MqttException {
        reconnector.stop();
        MqttProperties p = new MqttProperties();
        p.setSessionExpiryInterval(0L);
        aClient.disconnect(timeoutMillis, null, null, MqttReturnCode.RETURN_CODE_SUCCESS, p).waitForCompletion(timeoutMillis);
    }

    /** How many acknowledgements were dropped because their message's connection had been lost. */
    public int lateAcksDropped() {
        synchronized (acks) {
            return lateAcks;
        }
    }

    /** How many reconnect attempts were forced down because no CONNACK came in time. */
    public int abandonedConnects() {
        return reconnector.abandonedConnects();
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
            if (manualAcks && message.getQos() > 0) {
                synchronized (acks) {
                    arrivedOn.put(message.getId(), connection);
                    arrived++;
                }
            }
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
            synchronized (acks) {
                connection++;
            }
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
            try {
                if (t != null) {
                    connects.execute(() -> t.connectComplete(again, serverURI));
                }
                if (again) {
                    for (Runnable action : whenReconnected) {
                        connects.execute(() -> runQuietly(action));
                    }
                }
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                // the client is closing
            }
        }

        private void runQuietly(Runnable action) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, getClientId() + ": an action after reconnecting failed: " + e);
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

package dev.wasmota.transport;

import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.contract.error.RejectedException;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Connects the Paho clients the routes use. A persistent client ({@code cleanStart=false} with a
 * session expiry) keeps its subscriptions and queued QoS 1 messages at the broker while it is
 * offline; every client reconnects by itself ({@link Reconnector}). Every connection carries the slow-retrieval guard
 * of its settings ({@link GuardedSocketFactory}).
 */
public final class MqttClients {
    private MqttClients() {
    }

    /**
     * A connected client named {@code clientId}.
     *
     * @throws RejectedException {@link RouteFailure#BROKER_UNAVAILABLE} with the broker's reason
     */
    public static HeldMessagesClient connect(MqttSettings s, String clientId, boolean persistent) {
        return connect(s, clientId, persistent, false);
    }

    /**
     * A connected client for a route consumer: with {@code manualAcks}, a message is acknowledged
     * only when its exchange completed, so one whose handling failed (or was cut short by a crash)
     * is delivered again when the session resumes. Set before connecting, because a persistent
     * session delivers its queued messages right after CONNACK.
     */
    public static HeldMessagesClient connect(MqttSettings s, String clientId, boolean persistent, boolean manualAcks) {
        try {
            HeldMessagesClient client = new HeldMessagesClient(s.brokerUrl(), clientId, new MemoryPersistence());
            client.setManualAcks(manualAcks);
            client.connect(options(s, persistent));
            return client;
        } catch (MqttException e) {
            throw new RejectedException(RouteFailure.BROKER_UNAVAILABLE, "cannot connect to " + s.brokerUrl() + " as "
                    + clientId + ": " + describe(e), e);
        }
    }

    /** The connection options of {@code s}. */
    public static MqttConnectionOptions options(MqttSettings s, boolean persistent) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(!persistent);
        o.setSessionExpiryInterval(persistent ? s.sessionExpiry().getSeconds() : 0L);
        // HeldMessagesClient reconnects with a back-off of its own (Reconnector): Paho's is shared by every client of the JVM
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) Math.max(1, s.connectTimeout().getSeconds()));
        o.setKeepAliveInterval((int) s.keepAlive().getSeconds());
        o.setMaximumPacketSize((long) s.maxMessageBytes() + 1024);
        o.setReceiveMaximum(64);
        SocketFactory sockets = s.socketFactory().orElseGet(SocketFactory::getDefault);
        o.setSocketFactory(GuardedSocketFactory.wrap(sockets, s.packetGuard(), o.getMaximumPacketSize()));
        return o;
    }

    /** Closes {@code client} without throwing: disconnects if connected, then releases its threads. */
    public static void closeQuietly(HeldMessagesClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(2000);
            }
        } catch (MqttException ignored) {
            // already gone
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // already closed
        }
    }

    static String describe(MqttException e) {
        String m = e.getMessage();
        Throwable c = e.getCause();
        return (m == null ? "reason code " + e.getReasonCode() : m) + (c != null && c.getMessage() != null ? " (" + c.getMessage() + ")" : "");
    }
}

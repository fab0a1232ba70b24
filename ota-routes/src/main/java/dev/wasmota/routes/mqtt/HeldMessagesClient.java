package dev.wasmota.routes.mqtt;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttClientPersistence;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A Paho client that holds the messages a persistent session delivers right after CONNACK until
 * a consumer sets its callback, then hands them over in order. The Camel consumer connects first
 * and sets its callback afterwards; Paho silently drops (and never acknowledges) what arrives in
 * between, so a vehicle that was offline would not see its queued update until its next reconnect.
 */
public final class HeldMessagesClient extends MqttClient {
    private final Object lock = new Object();
    private final List<Object[]> held = new ArrayList<>();
    private MqttCallback target;

    public HeldMessagesClient(String serverUri, String clientId, MqttClientPersistence persistence) throws MqttException {
        super(serverUri, clientId, persistence);
        super.setCallback(new Holder());
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

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            MqttCallback t = target();
            if (t != null) {
                t.connectComplete(reconnect, serverURI);
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

package dev.wasmota.transport;

import org.apache.camel.CamelContext;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.eclipse.paho.mqttv5.client.MqttClient;

/**
 * {@code paho-mqtt5} endpoints on clients this program connected itself ({@link MqttClients}),
 * built in code because MQTT filters ({@code +}, {@code $share/...}) do not survive URI parsing.
 * Consumers acknowledge a message only when its exchange completed (manual acks), so a crash
 * mid-route leaves it with the broker for redelivery.
 */
public final class MqttEndpoints {
    private MqttEndpoints() {
    }

    public static PahoMqtt5Endpoint consumer(CamelContext ctx, String name, String topicFilter, MqttClient client, int qos) {
        PahoMqtt5Configuration c = new PahoMqtt5Configuration();
        c.setQos(qos);
        c.setManualAcksEnabled(true);
        c.setCleanStart(false);
        return endpoint(ctx, name, topicFilter, client, c);
    }

    public static PahoMqtt5Endpoint producer(CamelContext ctx, String name, String defaultTopic, MqttClient client, int qos) {
        PahoMqtt5Configuration c = new PahoMqtt5Configuration();
        c.setQos(qos);
        return endpoint(ctx, name, defaultTopic, client, c);
    }

    private static PahoMqtt5Endpoint endpoint(CamelContext ctx, String name, String topic, MqttClient client,
                                              PahoMqtt5Configuration c) {
        c.setBrokerUrl(client.getServerURI());
        c.setClientId(client.getClientId());
        PahoMqtt5Component component = ctx.getComponent("paho-mqtt5", PahoMqtt5Component.class);
        PahoMqtt5Endpoint e = new PahoMqtt5Endpoint("paho-mqtt5://" + name, topic, component, c);
        e.setClient(client);
        e.setCamelContext(ctx);
        return e;
    }
}

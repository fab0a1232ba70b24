package dev.wasmota.routes.vehicle;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.routes.RouteProperties;
import dev.wasmota.routes.Topics;
import dev.wasmota.routes.camel.CamelNodes;
import dev.wasmota.routes.camel.DeadLetterRecorder;
import dev.wasmota.routes.mqtt.HeldMessagesClient;
import dev.wasmota.routes.mqtt.MqttClients;
import dev.wasmota.routes.mqtt.MqttEndpoints;
import dev.wasmota.routes.mqtt.MqttSettings;
import dev.wasmota.signing.pki.OemPki;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelContext;

/**
 * One vehicle on the pipeline: its ECU host behind a persistent MQTT session (client id
 * {@code vehicle-<id>}, QoS 1), so updates published while it is offline wait at the broker and
 * arrive when it reconnects. The vehicle signs its status reports with its own key, whose
 * certificate the OEM root issued for the vehicle role. The host stays the caller's to close.
 */
public final class VehicleNode implements AutoCloseable {
    private final String vehicleId;
    private final CamelContext camel;
    private final List<HeldMessagesClient> clients;

    private VehicleNode(String vehicleId, CamelContext camel, List<HeldMessagesClient> clients) {
        this.vehicleId = vehicleId;
        this.camel = camel;
        this.clients = clients;
    }

    /** Connects vehicle {@code vehicleId} and starts its routes. */
    public static VehicleNode start(String vehicleId, EcuHost host, OemPki.Credential credential, MqttSettings mqtt,
                                    Properties properties, Clock clock, MeterRegistry registry) {
        Topics topics = new Topics(properties.getProperty("ota.topic.root"));
        int qos = RouteProperties.intValue(properties, "ota.mqtt.qos");
        HeldMessagesClient in = MqttClients.connect(mqtt, "vehicle-" + vehicleId, true);
        HeldMessagesClient out;
        try {
            out = MqttClients.connect(mqtt, "vehicle-" + vehicleId + "-out", false);
        } catch (RuntimeException e) {
            MqttClients.closeQuietly(in);
            throw e;
        }
        CamelContext camel = CamelNodes.create("vehicle-" + vehicleId, properties, registry);
        try {
            RollbackWatch watch = new RollbackWatch(host, credential);
            UpdateHandler updates = new UpdateHandler(host, vehicleId, credential, clock, watch);
            watch.reportWith(updates);
            VehicleRoutes.Endpoints e = new VehicleRoutes.Endpoints(
                    MqttEndpoints.consumer(camel, "vehicle-update-in", topics.update(vehicleId), in, qos),
                    MqttEndpoints.producer(camel, "vehicle-status-out", topics.status(vehicleId), out, qos),
                    MqttEndpoints.producer(camel, "vehicle-dead-letter-out", topics.vehicleDeadLetter(vehicleId), out, qos));
            camel.addRoutes(new VehicleRoutes(vehicleId, e, updates, watch, new DeadLetterRecorder(host.auditLog(),
                    "vehicle-routes", topics.vehicleDeadLetter(vehicleId), clock, registry)));
            camel.start();
        } catch (Exception e) {
            try {
                camel.close();
            } catch (Exception ignored) {
                // already failing
            }
            MqttClients.closeQuietly(in);
            MqttClients.closeQuietly(out);
            throw new IllegalStateException("cannot start vehicle " + vehicleId + "'s routes: " + e.getMessage(), e);
        }
        return new VehicleNode(vehicleId, camel, List.of(in, out));
    }

    public String vehicleId() {
        return vehicleId;
    }

    /** Stops the routes and disconnects; the broker keeps the session and queues what arrives meanwhile. */
    @Override
    public void close() {
        try {
            camel.close();
        } catch (Exception ignored) {
            // disconnecting anyway
        } finally {
            clients.forEach(MqttClients::closeQuietly);
        }
    }
}

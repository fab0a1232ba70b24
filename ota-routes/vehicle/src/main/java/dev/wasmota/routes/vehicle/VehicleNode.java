package dev.wasmota.routes.vehicle;

import dev.wasmota.signing.pki.Credential;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.protocol.RouteProperties;
import dev.wasmota.protocol.Topics;
import dev.wasmota.routes.vehicle.release.ChunkFetcher;
import dev.wasmota.routes.vehicle.release.DiskChunkStore;
import dev.wasmota.routes.vehicle.release.PahoReleaseSubscriptions;
import dev.wasmota.transport.camel.CamelNodes;
import dev.wasmota.transport.camel.DeadLetterRecorder;
import dev.wasmota.transport.HeldMessagesClient;
import dev.wasmota.transport.MqttClients;
import dev.wasmota.transport.MqttEndpoints;
import dev.wasmota.transport.MqttSettings;
import dev.wasmota.transport.Readiness;
import dev.wasmota.transport.ServiceEvents;
import dev.wasmota.transport.SlowRetrievalRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * One vehicle on the pipeline: its ECU host behind a persistent MQTT session (client id
 * {@code vehicle-<id>}, QoS 1), so updates published while it is offline wait at the broker and
 * arrive when it reconnects. The vehicle signs its status reports with its own key, whose
 * certificate the OEM root issued for the vehicle role. A release sent in chunks is fetched on the
 * same session ({@link ChunkFetcher}), kept on the host's state directory, and resumed there after
 * a restart. A connection dropped because an update
 * trickled in too slowly is a {@code SECURITY_EVENT} ({@code SLOW_RETRIEVAL}) in the host's audit
 * log. The host stays the caller's to close.
 */
public final class VehicleNode implements AutoCloseable {
    /**
     * How a vehicle joins: its own Camel context, or routes in one shared by many vehicles (a
     * simulated fleet); a delay before each update is handled (a slow link); and who is told
     * what it does (each update, status, trust update, refusal and dead letter; by default nobody).
     */
    public record Options(Optional<CamelContext> sharedContext, Duration linkDelay, ServiceEvents events) {
        public Options(Optional<CamelContext> sharedContext, Duration linkDelay) {
            this(sharedContext, linkDelay, ServiceEvents.NONE);
        }

        public static Options standalone() {
            return new Options(Optional.empty(), Duration.ZERO);
        }

        public Options withEvents(ServiceEvents value) {
            return new Options(sharedContext, linkDelay, value);
        }
    }

    private final String vehicleId;
    private final CamelContext camel;
    private final boolean ownsContext;
    private final List<String> routeIds;
    private final List<HeldMessagesClient> clients;

    private VehicleNode(String vehicleId, CamelContext camel, boolean ownsContext, List<String> routeIds,
                        List<HeldMessagesClient> clients) {
        this.vehicleId = vehicleId;
        this.camel = camel;
        this.ownsContext = ownsContext;
        this.routeIds = routeIds;
        this.clients = clients;
    }

    /** Connects vehicle {@code vehicleId} and starts its routes. */
    public static VehicleNode start(String vehicleId, EcuHost host, Credential credential, MqttSettings mqtt,
                                    Properties properties, Clock clock, MeterRegistry registry) {
        return start(vehicleId, host, credential, mqtt, properties, clock, registry, Options.standalone());
    }

    /** Connects vehicle {@code vehicleId} and starts its routes as {@code options} say. */
    public static VehicleNode start(String vehicleId, EcuHost host, Credential credential, MqttSettings mqtt,
                                    Properties properties, Clock clock, MeterRegistry registry, Options options) {
        Topics topics = new Topics(properties.getProperty("ota.topic.root"));
        int qos = RouteProperties.intValue(properties, "ota.mqtt.qos");
        MqttSettings guarded = mqtt.withSlowRetrievalListener(
                new SlowRetrievalRecorder(host.auditLog(), "vehicle-routes", "vehicle", registry));
        HeldMessagesClient in = MqttClients.connect(guarded, "vehicle-" + vehicleId, true, true);
        HeldMessagesClient out;
        try {
            out = MqttClients.connect(guarded, "vehicle-" + vehicleId + "-out", false);
        } catch (RuntimeException e) {
            MqttClients.closeQuietly(in);
            throw e;
        }
        CamelContext camel = options.sharedContext()
                .orElseGet(() -> CamelNodes.create("vehicle-" + vehicleId, properties, registry));
        VehicleRoutes routes = null;
        try {
            SentStatuses sent = new SentStatuses(host.config().stateDir(), vehicleId, credential, clock,
                    Duration.ofMillis(RouteProperties.intValue(properties, "ota.vehicle.resendMillis")), options.events());
            RollbackWatch watch = new RollbackWatch(host, credential, clock, options.events(), sent);
            ChunkFetcher fetcher = new ChunkFetcher(
                    new DiskChunkStore(host.config().stateDir(), Long.parseLong(properties.getProperty("ota.vehicle.chunkStoreBytes").trim())),
                    topics, vehicleId, host::trust, clock,
                    Duration.ofMillis(RouteProperties.intValue(properties, "ota.vehicle.chunkStallMillis")),
                    new PahoReleaseSubscriptions(in, qos, clock, options.events()));
            UpdateHandler updates = new UpdateHandler(host, vehicleId, credential, clock, watch, options.events(), sent,
                    dev.wasmota.ecu.safety.SafeExecution.load(host.config().stateDir()))
                    .withTransfers(fetcher);
            watch.reportWith(updates);
            VehicleRoutes.Endpoints e = new VehicleRoutes.Endpoints(
                    MqttEndpoints.consumer(camel, "vehicle-update-in-" + vehicleId, topics.update(vehicleId), in, qos),
                    MqttEndpoints.producer(camel, "vehicle-status-out-" + vehicleId, topics.status(vehicleId), out, qos),
                    MqttEndpoints.producer(camel, "vehicle-dead-letter-out-" + vehicleId, topics.vehicleDeadLetter(vehicleId), out, qos));
            routes = new VehicleRoutes(vehicleId, e, updates, new TrustUpdateHandler(host, clock, options.events()), watch,
                    new DeadLetterRecorder(host.auditLog(), "vehicle-routes", topics.vehicleDeadLetter(vehicleId), clock, registry,
                            topics, options.events()), sent, options.linkDelay().toMillis(), fetcher,
                    new ShadowCommandHandler(host, watch, clock, options.events()));
            camel.addRoutes(routes);
            camel.start();
            fetcher.resume();
            resend(sent, sent.unexpired(), out, topics.status(vehicleId), qos, clock, options.events());
            out.whenReconnected(() -> resend(sent, sent.undelivered(), out, topics.status(vehicleId), qos, clock,
                    options.events()));
        } catch (Exception e) {
            try {
                if (options.sharedContext().isEmpty()) {
                    camel.close();
                } else if (routes != null) {
                    removeRoutes(camel, routeIds(routes));
                }
            } catch (Exception ignored) {
                // already failing
            }
            MqttClients.closeQuietly(in);
            MqttClients.closeQuietly(out);
            throw new IllegalStateException("cannot start vehicle " + vehicleId + "'s routes: " + e.getMessage(), e);
        }
        return new VehicleNode(vehicleId, camel, options.sharedContext().isEmpty(), routeIds(routes), List.of(in, out));
    }

    /**
     * Sends {@code reports} again: at start, those of instructions not yet expired (a report lost or
     * refused before this start, e.g. under a certificate since replaced); after a reconnect, those
     * whose publish the broker never acknowledged (refused while a broker restarted). A failure to
     * publish is told, not thrown: the next reconnect, or the OEM's own requests, come later.
     */
    private static void resend(SentStatuses sent, List<byte[]> reports, HeldMessagesClient out, String topic, int qos,
                               Clock clock, ServiceEvents events) {
        for (byte[] report : reports) {
            try {
                MqttMessage m = new MqttMessage(report);
                m.setQos(qos);
                out.publish(topic, m);
                sent.delivered(report);
            } catch (MqttException | RuntimeException e) {
                events.emit(clock, dev.wasmota.transport.ServiceEvent.Kind.RESYNC, "could not send a kept status again: " + e);
                return;
            }
        }
    }

    public String vehicleId() {
        return vehicleId;
    }

    /** Whether this vehicle can take updates now: both broker connections up, every route started. */
    public Readiness readiness() {
        return new Readiness(List.of(Readiness.broker(clients), Readiness.routes(camel, routeIds)));
    }

    /** Stops the routes and disconnects; the broker keeps the session and queues what arrives meanwhile. */
    @Override
    public void close() {
        try {
            if (ownsContext) {
                camel.close();
            } else {
                removeRoutes(camel, routeIds);
            }
        } catch (Exception ignored) {
            // disconnecting anyway
        } finally {
            clients.forEach(MqttClients::closeQuietly);
        }
    }

    /**
     * Drops the connections without a goodbye, as a vehicle that loses power or network does:
     * no DISCONNECT, so the broker keeps the session and whatever was not acknowledged.
     */
    public void dropConnection() {
        for (HeldMessagesClient c : clients) {
            try {
                c.disconnectForcibly(0, 100, false);
            } catch (Exception ignored) {
                // already gone
            }
        }
        close();
    }

    private static List<String> routeIds(VehicleRoutes routes) {
        return routes.getRouteCollection().getRoutes().stream().map(r -> r.getRouteId()).toList();
    }

    private static void removeRoutes(CamelContext camel, List<String> ids) throws Exception {
        for (String id : ids) {
            camel.getRouteController().stopRoute(id);
            camel.removeRoute(id);
        }
    }
}

package dev.wasmota.routes.vehicle.release;

import dev.wasmota.transport.HeldMessagesClient;
import dev.wasmota.transport.ServiceEvent;
import dev.wasmota.transport.ServiceEvents;
import java.time.Clock;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Release subscriptions on the vehicle's own update session (its persistent client), so chunks
 * arrive on the route that takes its updates. Neither call waits for the broker; one that fails
 * (the connection is down) is told, and the fetcher's stall timer asks again.
 */
public final class PahoReleaseSubscriptions implements ReleaseSubscriptions {
    private final HeldMessagesClient client;
    private final int qos;
    private final Clock clock;
    private final ServiceEvents events;

    public PahoReleaseSubscriptions(HeldMessagesClient client, int qos, Clock clock, ServiceEvents events) {
        this.client = client;
        this.qos = qos;
        this.clock = clock;
        this.events = events;
    }

    @Override
    public void subscribe(List<String> topics) {
        try {
            client.subscribeLater(topics.toArray(String[]::new), qos);
        } catch (MqttException | RuntimeException e) {
            events.emit(clock, ServiceEvent.Kind.RESYNC, "could not ask for " + topics.size() + " release topic(s) now: " + e);
        }
    }

    @Override
    public void unsubscribe(List<String> topics) {
        try {
            client.unsubscribeLater(topics.toArray(String[]::new));
        } catch (MqttException | RuntimeException e) {
            events.emit(clock, ServiceEvent.Kind.RESYNC, "could not drop " + topics.size() + " release topic(s) now: " + e);
        }
    }
}

package dev.wasmota.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.protocol.DeadLetter;
import dev.wasmota.protocol.Topics;
import dev.wasmota.transport.HeldMessagesClient;
import dev.wasmota.transport.MessageListener;
import dev.wasmota.transport.MqttClients;
import dev.wasmota.transport.MqttSettings;
import dev.wasmota.protocol.wire.Frames;
import dev.wasmota.protocol.release.ReleaseInstruction;
import dev.wasmota.protocol.wire.UpdateMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * The simulator's hand on the network: it sees the updates the OEM sends (to deliver a second copy
 * to a vehicle drawn for duplicates, or a corrupted one to a vehicle drawn for a bad module), and
 * the vehicles' dead letters (to count refusals by reason). It only adds messages; it cannot hold
 * back or alter what the OEM sent.
 */
final class Tap implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HeldMessagesClient client;
    private final Topics topics;
    private final Map<String, SimVehicle> vehicles;
    private final FleetEvents events;
    private final ScheduledExecutorService scheduler;
    /** A release's package by its digest (the OEM's store), to corrupt a copy of a release sent in chunks. */
    private final java.util.function.Function<String, java.util.Optional<byte[]>> packages;
    private final Map<String, byte[]> lastUpdate = new java.util.concurrent.ConcurrentHashMap<>();

    Tap(MqttSettings mqtt, Topics topics, Map<String, SimVehicle> vehicles, FleetEvents events,
        ScheduledExecutorService scheduler, java.util.function.Function<String, java.util.Optional<byte[]>> packages)
            throws MqttException {
        this.packages = packages;
        this.topics = topics;
        this.vehicles = vehicles;
        this.events = events;
        this.scheduler = scheduler;
        this.client = MqttClients.connect(mqtt, "sim-tap-" + Long.toHexString(System.nanoTime()), false);
        client.setCallback(new MessageListener((topic, message) -> {
            if (topic.endsWith("/update")) {
                updateSeen(topic, message.getPayload());
            } else {
                deadLetterSeen(message.getPayload());
            }
        }));
        MqttSubscription updates = new MqttSubscription(topics.update("+"), 1);
        updates.setNoLocal(true);
        client.subscribe(new MqttSubscription[] {updates, new MqttSubscription(topics.vehicleDeadLetterFilter(), 1)});
    }

    private void updateSeen(String topic, byte[] payload) {
        String vehicle = topic.substring(topics.root().length() + "/vehicle/".length(), topic.length() - "/update".length());
        SimVehicle v = vehicles.get(vehicle);
        if (v == null) {
            return;
        }
        lastUpdate.put(vehicle, payload);
        if (v.faults.contains(InjectedFault.DUPLICATE)) {
            scheduler.schedule(() -> inject(topic, payload, InjectedFault.DUPLICATE, vehicle, "the same update delivered twice"),
                    400, TimeUnit.MILLISECONDS);
        }
        if (v.faults.contains(InjectedFault.BAD_MODULE)) {
            java.util.Optional<UpdateMessage> m = whole(payload);
            if (m.isEmpty()) {
                return;
            }
            byte[] corrupted = corrupted(m.get());
            scheduler.schedule(() -> inject(topic, corrupted, InjectedFault.BAD_MODULE, vehicle,
                    "a corrupted copy of the package delivered"), 200, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The update as a whole package with its instruction: as sent, or, for a release sent in chunks
     * ({@code WOTR}), the instruction with the release's package from the OEM's store.
     */
    private java.util.Optional<UpdateMessage> whole(byte[] payload) {
        try {
            if (ReleaseInstruction.isReleaseInstruction(payload)) {
                ReleaseInstruction r = ReleaseInstruction.decode(payload);
                return packages.apply(r.packageSha256()).map(p -> new UpdateMessage(r.instruction(), p));
            }
            return java.util.Optional.of(UpdateMessage.decode(payload));
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    private static byte[] corrupted(UpdateMessage m) {
        byte[] pkg = m.packageFile();
        pkg[pkg.length / 2] ^= 0x20;
        return new UpdateMessage(m.instruction(), pkg).encode();
    }

    /**
     * An attacker on the network: every vehicle gets the last update it was sent again, with one
     * bit of the package flipped. Returns how many were sent.
     */
    int tamperAll() {
        int n = 0;
        for (Map.Entry<String, byte[]> e : lastUpdate.entrySet()) {
            try {
                MqttMessage m = new MqttMessage(corrupted(whole(e.getValue()).orElseThrow()));
                m.setQos(1);
                client.publish(topics.update(e.getKey()), m);
                n++;
            } catch (MqttException | RuntimeException ex) {
                events.refusal("INJECTION_FAILED");
            }
        }
        return n;
    }

    private void inject(String topic, byte[] payload, InjectedFault kind, String vehicle, String detail) {
        try {
            MqttMessage m = new MqttMessage(payload);
            m.setQos(1);
            client.publish(topic, m);
            events.fault(kind, vehicle, detail);
        } catch (MqttException e) {
            events.refusal("INJECTION_FAILED");
        }
    }

    private void deadLetterSeen(byte[] payload) {
        try {
            List<byte[]> parts = Frames.decode(payload, DeadLetter.KIND, 1, 64 * 1024, DeadLetter.MAX_KEPT_BYTES);
            events.refusal(JSON.readTree(parts.get(0)).path("reason").asText("UNKNOWN"));
        } catch (Exception e) {
            events.refusal("UNREADABLE_DEAD_LETTER");
        }
    }

    @Override
    public void close() {
        MqttClients.closeQuietly(client);
    }
}

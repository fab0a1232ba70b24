package dev.wasmota.routes.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.BrokerKind;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.MosquittoBroker;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.TestDatabase;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.release.Release;
import dev.wasmota.protocol.Topics;
import dev.wasmota.protocol.wire.UpdateMessage;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.Packager;
import dev.wasmota.testkit.MutableClock;
import dev.wasmota.transport.HeldMessagesClient;
import dev.wasmota.transport.MessageListener;
import dev.wasmota.transport.MqttClients;
import dev.wasmota.transport.MqttSettings;
import dev.wasmota.transport.ServiceEvents;
import dev.wasmota.transport.WindowedPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatch round over a real Mosquitto: a batch goes out through the publish window, each
 * vehicle gets its own signed instruction and the outbox counts them sent; with the broker frozen
 * a round returns within about two acknowledgement timeouts (it never waits for ever on a PUBACK,
 * which a synchronous publish would), and what it could not send goes out at the next scan.
 */
class DispatchRoundIT {
    private static final int VEHICLES = 40;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(Fixtures.T0.plus(Duration.ofHours(1)));

    @Test
    void aRoundPublishesItsBatchThroughTheWindowAndSurvivesABrokerThatStopsAnswering() throws Exception {
        Fixtures fx = new Fixtures(dir);
        Topics topics = new Topics("t");
        List<String> ids = IntStream.rangeClosed(1, VEHICLES).mapToObj(i -> String.format("veh-%03d", i)).toList();
        MosquittoBroker broker = (MosquittoBroker) BrokerKind.MOSQUITTO.start(BrokerSettings.builder(dir).port(0).build());
        HeldMessagesClient out = null;
        HeldMessagesClient fleet = null;
        try (CampaignWorkspace ws = CampaignWorkspace.open(fx.oemDir(), Optional.of(TestDatabase.H2.freshUrl()), clock,
                new Random(1), "test", Optional.empty())) {
            Map<String, Integer> received = new ConcurrentHashMap<>();
            fleet = MqttClients.connect(MqttSettings.of(broker.url()), "fleet", false);
            fleet.setCallback(counting(received, fx));
            fleet.subscribeLater(new String[] {topics.update("+")}, 1).waitForCompletion(10_000);
            out = MqttClients.connect(MqttSettings.of(broker.url()), "oem-out", false);
            ws.leases().acquire("w1", Duration.ofMinutes(5));
            OutboxDispatcher dispatcher = new OutboxDispatcher(ws.outbox(), ws.releases(), ws.trail(), "w1", fx.oem::trustStore,
                    topics, clock, Duration.ZERO);
            DispatchRound round = new DispatchRound(dispatcher, new WindowedPublisher(out, 4, ACK_TIMEOUT),
                    new DispatchEvents(clock, ServiceEvents.NONE, new OemMeters(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())),
                    1, ACK_TIMEOUT);

            // campaign 1: half the fleet, with the broker answering
            startCampaign(ws, fx, ids.subList(0, VEHICLES / 2));
            assertEquals(VEHICLES / 2, round.run(), "every message of the batch acknowledged");
            awaitReceived(received, VEHICLES / 2);
            assertEquals(0, round.run(), "each sent once: nothing left in the outbox");

            // campaign 2: the other half, with the broker frozen (sockets open, nothing answered)
            startCampaign(ws, fx, ids.subList(VEHICLES / 2, VEHICLES));
            broker.pause();
            long t0 = System.nanoTime();
            int acknowledged = round.run();
            long tookMillis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, acknowledged);
            assertTrue(tookMillis < 4 * ACK_TIMEOUT.toMillis(), "the round gave up after about two timeouts, took " + tookMillis + " ms");

            broker.resume();
            int later = 0;
            for (int i = 0; i < 10 && received.size() < VEHICLES; i++) {
                later += round.run();
                Thread.sleep(200);
            }
            awaitReceived(received, VEHICLES);
            assertTrue(later >= VEHICLES / 2, "the second half went out once the broker answered again: " + later);
            assertEquals(0, round.run(), "nothing left");
            ids.forEach(id -> assertTrue(received.getOrDefault(id, 0) >= 1, id + " got its instruction"));
        } finally {
            broker.resume();
            MqttClients.closeQuietly(out);
            MqttClients.closeQuietly(fleet);
            broker.close();
        }
    }

    private static void startCampaign(CampaignWorkspace ws, Fixtures fx, List<String> vehicles) {
        Release r = ws.releases().publish(PackageFile.toBytes(fx.countersigned(fx.supplierSigned(Packager.build(
                Fixtures.wasm("healthy_v1.wasm"), Fixtures.spec("healthy", "1.0.0", 1, Fixtures.HEALTHY_CAPS)), fx.acme))));
        vehicles.forEach(id -> ws.vehicles().register(id, "ecu-a"));
        ws.campaigns().start(ws.campaigns().create(CampaignSpec.builder(r.id(), Targets.vehicles(vehicles), WavePlan.parse("100%"))
                .build()).id());
    }

    /** Counts, per vehicle, the update messages whose signed instruction names that very vehicle. */
    private MqttCallback counting(Map<String, Integer> received, Fixtures fx) {
        return new MessageListener((topic, m) -> {
            var i = SignedInstruction.open(UpdateMessage.decode(m.getPayload()).instruction(), fx.oem.trustStore(), clock);
            assertTrue(topic.contains(i.vehicleId()), topic + " carries " + i.vehicleId() + "'s instruction");
            received.merge(i.vehicleId(), 1, Integer::sum);
        });
    }

    private static void awaitReceived(Map<String, Integer> received, int vehicles) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (received.size() < vehicles && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertEquals(vehicles, received.size(), "vehicles that got their instruction");
    }
}

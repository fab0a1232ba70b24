package dev.wasmota.routes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerKind;
import dev.wasmota.contract.Digests;
import dev.wasmota.protocol.Topics;
import dev.wasmota.protocol.release.ChunkMessage;
import dev.wasmota.protocol.release.ReleaseIndex;
import dev.wasmota.protocol.release.ReleaseInstruction;
import dev.wasmota.protocol.wire.UpdateMessage;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.transport.HeldMessagesClient;
import dev.wasmota.transport.MqttClients;
import dev.wasmota.transport.MqttSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the broker stores for a 1 MiB release waiting for parked vehicles, measured on Mosquitto's
 * own persistence file (written when it stops, with every session and its queued messages): with
 * the release in chunks on retained topics, 1 and 1,000 offline vehicles cost one copy of the
 * release plus each vehicle's small signed instruction; with the whole package in each vehicle's
 * message (the old frame), every offline vehicle costs a copy.
 */
class BrokerStorageIT {
    private static final int PACKAGE = 1024 * 1024;
    private static final Topics TOPICS = Topics.standard();

    @TempDir
    Path dir;
    Fixtures fx;
    byte[] pkg;
    ReleaseIndex index;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir.resolve("fx"));
        pkg = new byte[PACKAGE];
        new Random(20).nextBytes(pkg);
        index = ReleaseIndex.of(pkg, 65536);
    }

    @Test
    void storesOneCopyOfAReleaseForOneAndForAThousandOfflineVehicles() throws Exception {
        long one = stored(1, true);
        long thousand = stored(1000, true);
        long wholeOne = stored(1, false);
        long wholeTwenty = stored(20, false);
        System.out.printf("broker storage (Mosquitto persistence file), 1 MiB release: chunked 1 vehicle %,d B, "
                + "1,000 vehicles %,d B; whole package 1 vehicle %,d B, 20 vehicles %,d B%n", one, thousand, wholeOne, wholeTwenty);
        assertTrue(one > PACKAGE && one < 2L * PACKAGE, "one copy of the release: " + one);
        assertTrue(thousand < PACKAGE + 1000L * 4096, "1,000 vehicles cost one release and a small instruction each: "
                + thousand + " bytes");
        assertTrue(thousand - one < 1000L * 4096, "each vehicle adds under 4 KiB: " + (thousand - one));
        assertTrue(wholeTwenty > 20L * PACKAGE, "the old frame stores a copy per offline vehicle: " + wholeTwenty);
    }

    /** Bytes of Mosquitto's persistence file once {@code vehicles} parked sessions each were sent the release. */
    private long stored(int vehicles, boolean chunked) throws Exception {
        Path data = Files.createTempDirectory(dir, "mosquitto-" + vehicles + (chunked ? "-chunked" : "-whole"));
        Broker broker = BrokerKind.MOSQUITTO.start(Brokers.settings(data));
        try {
            URI url = URI.create(broker.url());
            for (int i = 0; i < vehicles; i++) {
                RawSessions.park(url.getHost(), url.getPort(), "vehicle-veh-" + i, TOPICS.update("veh-" + i), 604800);
            }
            HeldMessagesClient oem = MqttClients.connect(MqttSettings.of(broker.url()), "oem-storage", false);
            try {
                String sha = Digests.sha256Hex(pkg);
                if (chunked) {
                    for (int i = 0; i < index.chunkCount(); i++) {
                        publish(oem, TOPICS.releaseChunk(sha, i), new ChunkMessage(sha, i, index.slice(pkg, i)).encode(), true);
                    }
                    publish(oem, TOPICS.releaseIndex(sha), index.sign(fx.oem.campaign()), true);
                }
                for (int i = 0; i < vehicles; i++) {
                    byte[] instruction = instruction("veh-" + i, sha);
                    publish(oem, TOPICS.update("veh-" + i), chunked
                            ? new ReleaseInstruction(instruction, sha, pkg.length, index.chunkCount()).encode()
                            : new UpdateMessage(instruction, pkg).encode(), false);
                }
            } finally {
                MqttClients.closeQuietly(oem);
            }
        } finally {
            broker.close();
        }
        try (var files = Files.walk(data)) {
            return files.filter(p -> p.getFileName().toString().equals("mosquitto.db")).findFirst()
                    .map(p -> p.toFile().length()).orElseThrow(() -> new AssertionError("no mosquitto.db under " + data));
        }
    }

    private byte[] instruction(String vehicle, String sha) {
        Instruction i = new Instruction("ins-" + vehicle, "camp-1", vehicle, "healthy", sha, 1, Fixtures.T0,
                Fixtures.T0.plus(Duration.ofDays(7)), "0123456789abcdef");
        return SignedInstruction.sign(i, fx.oem.campaign().key(), fx.oem.campaign().cert(), fx.clock);
    }

    private static void publish(HeldMessagesClient c, String topic, byte[] payload, boolean retained) throws Exception {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        m.setRetained(retained);
        c.publish(topic, m);
    }
}

package dev.wasmota.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerKind;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.release.Release;
import dev.wasmota.oem.release.ReleaseTopics;
import dev.wasmota.contract.Digests;
import dev.wasmota.protocol.release.ReleaseIndex;
import dev.wasmota.protocol.wire.UpdateMessage;
import dev.wasmota.protocol.release.ReleaseInstruction;
import dev.wasmota.routes.vehicle.VehicleNode;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.Packager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Releases in chunks over real brokers (embedded HiveMQ CE and Mosquitto): one copy on the
 * retained release topics, small instructions, a vehicle offline while others commit that fetches
 * the release when it comes back, a vehicle restarted mid-transfer that resumes from its disk, and
 * the sweep that clears the release once no campaign needs it.
 */
class ChunkedReleaseIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Brokers BROKERS = new Brokers();

    @TempDir
    Path dir;

    @AfterAll
    static void stopBrokers() {
        BROKERS.close();
    }

    /** healthy 1.0.0 with a 40 KiB custom section, so that it makes tens of chunks. */
    private static Release publishV1(PipelineKit kit) {
        byte[] wasm = padded(Fixtures.wasm("healthy_v1.wasm"), 40 * 1024);
        return kit.oem().releases().publish(PackageFile.toBytes(kit.fx.countersigned(kit.fx.supplierSigned(
                Packager.build(wasm, Fixtures.spec("healthy", "1.0.0", 1, Fixtures.HEALTHY_CAPS)), kit.fx.acme))));
    }

    /** {@code wasm} with a custom section named {@code pad} of {@code n} zero bytes appended (ignored by every runtime). */
    static byte[] padded(byte[] wasm, int n) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(wasm);
        b.write(0);
        int size = 1 + 3 + n;
        for (int v = size; ; ) {
            int low = v & 0x7f;
            v >>>= 7;
            if (v == 0) {
                b.write(low);
                break;
            }
            b.write(low | 0x80);
        }
        b.write(3);
        b.writeBytes("pad".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.writeBytes(new byte[n]);
        return b.toByteArray();
    }

    private static Action.Status status(PipelineKit kit, Campaign c, String vehicle) {
        return kit.oem().campaigns().actions(c.id()).stream().filter(a -> a.vehicleId().equals(vehicle)).findFirst()
                .orElseThrow().status();
    }

    private static List<ReleaseTopics.Published> onTheBroker(PipelineKit kit) {
        return new ReleaseTopics(kit.database(), PipelineKit.CLOCK).list();
    }

    /**
     * The topics among {@code topics} on which a fresh subscriber to all of them gets a retained
     * message within a second (one subscriber and one second for all, not one each).
     */
    private static List<String> retainedOn(PipelineKit kit, List<String> topics) throws Exception {
        List<String> found = new java.util.ArrayList<>();
        try (Probe p = new Probe(kit.mqtt, topics.toArray(String[]::new))) {
            long end = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
                try {
                    Probe.Message m = p.nextAny(Duration.ofNanos(left));
                    if (m.payload().length > 0) {
                        found.add(m.topic());
                    }
                } catch (AssertionError none) {
                    break;
                }
            }
        }
        return found;
    }

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void anOfflineVehicleFetchesTheRetainedReleaseLaterAndTheSweepClearsItOnlyOnceNoCampaignNeedsIt(BrokerKind kind)
            throws Exception {
        Broker broker = BROKERS.get(kind);
        try (PipelineKit kit = new PipelineKit(dir, broker)) {
            kit.startOem("w1", Map.of("ota.release.chunkBytes", "4096", "ota.release.sweepMillis", "300"));
            kit.startVehicle("veh-1");
            kit.startVehicle("veh-2");
            kit.stopVehicle("veh-2");
            Release release = publishV1(kit);
            String sha = release.packageSha256();
            int length = kit.oem().releases().packageBytes(release).length;
            int chunks = (length + 4095) / 4096;
            List<String> releaseTopics = new java.util.ArrayList<>(List.of(kit.topics.releaseIndex(sha)));
            for (int i = 0; i < chunks; i++) {
                releaseTopics.add(kit.topics.releaseChunk(sha, i));
            }

            try (Probe updates = new Probe(kit.mqtt, kit.topics.update("veh-1"))) {
                Campaign c = kit.campaign(release, List.of("veh-1", "veh-2"), "2");
                byte[] sent = updates.next(kit.topics.update("veh-1"), WAIT).payload();
                assertTrue(ReleaseInstruction.isReleaseInstruction(sent), "a release instruction, not the package");
                ReleaseInstruction r = ReleaseInstruction.decode(sent);
                assertEquals(sha, r.packageSha256());
                assertEquals(length, r.length());
                assertEquals(chunks, r.chunkCount());
                assertTrue(sent.length < 4096 && length > 3 * 4096, sent.length + " bytes sent for a package of " + length);

                PipelineKit.await("veh-1 to commit", WAIT, () -> status(kit, c, "veh-1") == Action.Status.COMMITTED);
                assertEquals(Action.Status.INSTRUCTED, status(kit, c, "veh-2"));
                assertEquals(List.of(new ReleaseTopics.Published(sha, 4096, chunks)), onTheBroker(kit));
                Thread.sleep(1500);
                assertEquals(new java.util.HashSet<>(releaseTopics), new java.util.HashSet<>(retainedOn(kit, releaseTopics)),
                        "the index and every chunk kept while veh-2's instruction is outstanding");
                try (Probe index = new Probe(kit.mqtt, kit.topics.releaseIndex(sha))) {
                    ReleaseIndex x = ReleaseIndex.open(index.next(kit.topics.releaseIndex(sha), WAIT).payload(),
                            kit.fx.oem.trustStore(), PipelineKit.CLOCK);
                    assertEquals(chunks, x.chunkCount(), "the retained index is signed by the campaign key and lists every chunk");
                }

                kit.startVehicle("veh-2");
                PipelineKit.await("campaign to complete after veh-2 reconnected", WAIT,
                        () -> kit.oem().campaigns().get(c.id()).state() == Campaign.State.COMPLETED);
                assertEquals("1.0.0", kit.hosts.get("veh-2").modules().get(0).activeMetadata().version());
                PipelineKit.await("the sweep to clear the release", WAIT, () -> onTheBroker(kit).isEmpty());
                assertEquals(List.of(), retainedOn(kit, releaseTopics), "the index and every chunk are gone from the broker");
                assertTrue(Files.notExists(dir.resolve("vehicles/veh-2/releases/" + sha)), "the vehicle deleted its chunks");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void aVehicleRestartedMidTransferResumesFromTheChunksOnItsDisk(BrokerKind kind) throws Exception {
        Broker broker = BROKERS.get(kind);
        try (PipelineKit kit = new PipelineKit(dir, broker)) {
            kit.settings.put("ota.vehicle.chunkStallMillis", "1000");
            kit.startOem("w1", Map.of("ota.release.chunkBytes", "1024"));
            VehicleNode.Options slow = new VehicleNode.Options(Optional.empty(), Duration.ofMillis(150));
            kit.startVehicle("veh-1", slow);
            Release release = publishV1(kit);
            String sha = release.packageSha256();
            Path kept = dir.resolve("vehicles/veh-1/releases/" + sha);
            Campaign c = kit.campaign(release, List.of("veh-1"), "1");

            PipelineKit.await("veh-1 to keep 5 chunks", WAIT, () -> chunkFiles(kept) >= 5);
            kit.vehicles.get("veh-1").dropConnection();
            kit.vehicles.remove("veh-1");
            int before = chunkFiles(kept);
            int total = (kit.oem().releases().packageBytes(release).length + 1023) / 1024;
            assertTrue(before < total, before + " of " + total + " chunks when the vehicle went down");

            kit.startVehicle("veh-1", slow);
            PipelineKit.await("veh-1 to commit after its restart", WAIT, () -> status(kit, c, "veh-1") == Action.Status.COMMITTED);
            assertEquals("1.0.0", kit.hosts.get("veh-1").modules().get(0).activeMetadata().version());
            assertTrue(Files.notExists(kept), "chunks deleted once installed");
        }
    }

    @ParameterizedTest
    @EnumSource(BrokerKind.class)
    void withChunksTurnedOffTheOemSendsTheWholePackageAsBeforeAndPublishesNoReleaseTopics(BrokerKind kind) throws Exception {
        Broker broker = BROKERS.get(kind);
        try (PipelineKit kit = new PipelineKit(dir, broker)) {
            kit.startOem("w1", Map.of("ota.release.chunkBytes", "0"));
            kit.startVehicle("veh-1");
            Release release = publishV1(kit);
            try (Probe updates = new Probe(kit.mqtt, kit.topics.update("veh-1"))) {
                Campaign c = kit.campaign(release, List.of("veh-1"), "1");
                byte[] sent = updates.next(kit.topics.update("veh-1"), WAIT).payload();
                assertEquals(release.packageSha256(), Digests.sha256Hex(UpdateMessage.decode(sent).packageFile()),
                        "the old frame, with the package");
                PipelineKit.await("veh-1 to commit", WAIT, () -> status(kit, c, "veh-1") == Action.Status.COMMITTED);
                assertEquals(List.of(), onTheBroker(kit));
                assertEquals(List.of(), retainedOn(kit, List.of(kit.topics.releaseIndex(release.packageSha256()))),
                        "no release topic published");
            }
        }
    }

    private static int chunkFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".chunk")).count();
        } catch (IOException e) {
            return 0;
        }
    }
}

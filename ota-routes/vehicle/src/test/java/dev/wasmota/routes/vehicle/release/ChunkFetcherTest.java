package dev.wasmota.routes.vehicle.release;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.protocol.Topics;
import dev.wasmota.protocol.release.ChunkMessage;
import dev.wasmota.protocol.release.ReleaseIndex;
import dev.wasmota.protocol.release.ReleaseInstruction;
import dev.wasmota.protocol.release.TransferFailure;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vehicle fetching a release in chunks: real signatures, real files, and a stand-in for the
 * broker's retained topics that delivers a topic's retained message on each subscribe, so a
 * transfer can be cut at any message (the same fetcher over a real broker: ChunkedReleaseIT).
 */
class ChunkFetcherTest {
    static final Topics TOPICS = Topics.standard();
    static final int CHUNK = 1024;

    @TempDir
    Path dir;
    Fixtures fx;
    MutableClock clock = new MutableClock(Fixtures.T0);
    byte[] pkg;
    String sha;
    ReleaseIndex index;
    byte[] release;
    RetainedTopics broker;

    /** The broker's retained topics; what a subscribe makes it send waits in {@code pending} until delivered. */
    static final class RetainedTopics implements ReleaseSubscriptions {
        final Map<String, byte[]> retained = new HashMap<>();
        final Deque<String> pending = new ArrayDeque<>();
        final List<String> subscribes = new ArrayList<>();
        final Set<String> subscribed = new HashSet<>();

        @Override
        public void subscribe(List<String> topics) {
            for (String t : topics) {
                subscribes.add(t);
                subscribed.add(t);
                if (retained.containsKey(t)) {
                    pending.add(t);
                }
            }
        }

        @Override
        public void unsubscribe(List<String> topics) {
            subscribed.removeAll(topics);
        }

        /** The connection drops: what was on its way is lost. */
        void cut() {
            pending.clear();
        }

        /** Delivers up to {@code n} messages; returns the package if one completed it. */
        Optional<ChunkFetcher.Assembled> deliver(ChunkFetcher f, int n) {
            Optional<ChunkFetcher.Assembled> done = Optional.empty();
            for (int i = 0; i < n && !pending.isEmpty(); i++) {
                Optional<ChunkFetcher.Assembled> a = f.received(retained.get(pending.poll()));
                if (a.isPresent()) {
                    done = a;
                }
            }
            return done;
        }

        long chunkSubscribes(int chunk, String sha) {
            return subscribes.stream().filter(t -> t.equals(TOPICS.releaseChunk(sha, chunk))).count();
        }
    }

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
        pkg = new byte[10 * CHUNK - 300];
        new Random(3).nextBytes(pkg);
        sha = Digests.sha256Hex(pkg);
        index = ReleaseIndex.of(pkg, CHUNK);
        broker = new RetainedTopics();
        publish(pkg, index);
        release = instruction("veh-1", sha, pkg.length, index.chunkCount());
    }

    void publish(byte[] file, ReleaseIndex x) {
        broker.retained.put(TOPICS.releaseIndex(x.packageSha256()), x.sign(fx.oem.campaign()));
        for (int i = 0; i < x.chunkCount(); i++) {
            broker.retained.put(TOPICS.releaseChunk(x.packageSha256(), i), new ChunkMessage(x.packageSha256(), i, x.slice(file, i)).encode());
        }
    }

    byte[] instruction(String vehicle, String digest, long length, int chunks) {
        Instruction i = new Instruction("ins-1", "camp-1", vehicle, "healthy", digest, 1, Fixtures.T0,
                Fixtures.T0.plus(Duration.ofDays(1)), "0123456789abcdef");
        byte[] signed = SignedInstruction.sign(i, fx.oem.campaign().key(), fx.oem.campaign().cert(), clock);
        return new ReleaseInstruction(signed, digest, length, chunks).encode();
    }

    ChunkFetcher fetcher(Path state) {
        return new ChunkFetcher(new DiskChunkStore(state, 1024 * 1024), TOPICS, "veh-1", fx.oem::trustStore, clock,
                Duration.ofSeconds(10), broker);
    }

    @Test
    void fetchesEveryChunkVerifiesTheWholeAndHandsOverThePackageWithItsInstruction() {
        ChunkFetcher f = fetcher(dir.resolve("state"));
        assertTrue(f.instructed(release).isEmpty());
        Optional<ChunkFetcher.Assembled> a = broker.deliver(f, 1000);
        assertTrue(a.isPresent());
        assertArrayEquals(pkg, a.get().packageFile());
        assertArrayEquals(ReleaseInstruction.decode(release).instruction(), a.get().instruction());
        assertEquals(10, f.chunksKept());
        for (int i = 0; i < 10; i++) {
            assertEquals(1, broker.chunkSubscribes(i, sha), "chunk " + i + " asked for once");
        }
        assertTrue(broker.subscribed.isEmpty(), "every release topic unsubscribed: " + broker.subscribed);
        f.done(sha);
        assertFalse(Files.exists(dir.resolve("state/releases/" + sha)), "chunks deleted once installed");
    }

    @Test
    void aTransferCutAtEachOfSeveralPointsResumesAfterAReconnectWithoutFetchingWhatItHas() {
        for (int cut : new int[] {1, 2, 4, 7, 10}) {
            broker.subscribes.clear();
            broker.cut();
            Path state = dir.resolve("cut-" + cut);
            ChunkFetcher f = fetcher(state);
            f.instructed(release);
            broker.deliver(f, cut);
            broker.cut();
            int have = cut - 1;
            assertEquals(Optional.of(10 - have), f.missing(sha).map(List::size), "cut after " + cut + " messages");
            broker.subscribes.clear();
            clock.advance(Duration.ofSeconds(10));
            assertEquals(1, f.tick(), "a stalled transfer asks again");
            Optional<ChunkFetcher.Assembled> a = broker.deliver(f, 1000);
            assertArrayEquals(pkg, a.orElseThrow().packageFile(), "cut after " + cut);
            for (int i = 0; i < have; i++) {
                assertEquals(0, broker.chunkSubscribes(i, sha), "chunk " + i + " it had is not asked for again (cut " + cut + ")");
            }
            for (int i = Math.max(have, 0); i < 10; i++) {
                assertEquals(1, broker.chunkSubscribes(i, sha), "chunk " + i + " it missed is asked for once (cut " + cut + ")");
            }
            f.done(sha);
        }
    }

    @Test
    void aVehicleRestartedMidTransferResumesFromItsDisk() {
        Path state = dir.resolve("state");
        ChunkFetcher before = fetcher(state);
        before.instructed(release);
        broker.deliver(before, 1 + 6);
        broker.cut();
        broker.subscribes.clear();

        ChunkFetcher after = fetcher(state);
        assertEquals(1, after.resume());
        assertEquals(Optional.of(List.of(6, 7, 8, 9)), after.missing(sha));
        Optional<ChunkFetcher.Assembled> a = broker.deliver(after, 1000);
        assertArrayEquals(pkg, a.orElseThrow().packageFile());
        assertEquals(4, after.chunksKept(), "only the four missing chunks came again");
        assertFalse(broker.subscribes.contains(TOPICS.releaseIndex(sha)), "the kept index is not fetched again");
    }

    @Test
    void aVehicleRestartedAfterItsLastChunkButBeforeInstallingHandsThePackageOverAgain() {
        Path state = dir.resolve("state");
        ChunkFetcher before = fetcher(state);
        before.instructed(release);
        assertTrue(broker.deliver(before, 1000).isPresent());
        broker.subscribes.clear();

        ChunkFetcher after = fetcher(state);
        after.resume();
        assertEquals(List.of(TOPICS.releaseChunk(sha, 9)), broker.subscribes, "asks for the last chunk only");
        assertArrayEquals(pkg, broker.deliver(after, 1000).orElseThrow().packageFile());
        assertArrayEquals(pkg, after.instructed(release).orElseThrow().packageFile(), "the instruction again finds it complete");
    }

    @Test
    void aCorruptedChunkIsRefusedAndFetchedAgain() {
        String t3 = TOPICS.releaseChunk(sha, 3);
        byte[] good = broker.retained.get(t3);
        byte[] bad = good.clone();
        bad[bad.length - 10] ^= 0x40;
        broker.retained.put(t3, bad);
        ChunkFetcher f = fetcher(dir.resolve("state"));
        f.instructed(release);
        broker.deliver(f, 1 + 3);
        RejectedException e = assertThrows(RejectedException.class, () -> broker.deliver(f, 1));
        assertEquals(TransferFailure.CHUNK_MISMATCH, e.reason());
        assertEquals(1, f.chunksRefused());
        assertFalse(Files.exists(dir.resolve("state/releases/" + sha + "/3.chunk")), "the damaged chunk is not kept");
        broker.retained.put(t3, good);
        Optional<ChunkFetcher.Assembled> a = broker.deliver(f, 1000);
        assertArrayEquals(pkg, a.orElseThrow().packageFile());
        assertEquals(2, broker.chunkSubscribes(3, sha), "the refused chunk was asked for again");
    }

    @Test
    void aChunkDamagedOnTheVehiclesDiskIsFoundAtRestartAndFetchedAgain() throws Exception {
        Path state = dir.resolve("state");
        ChunkFetcher before = fetcher(state);
        before.instructed(release);
        broker.deliver(before, 1 + 5);
        broker.cut();
        Path c2 = state.resolve("releases/" + sha + "/2.chunk");
        byte[] b = Files.readAllBytes(c2);
        b[0] ^= 1;
        Files.write(c2, b);
        broker.subscribes.clear();
        ChunkFetcher after = fetcher(state);
        after.resume();
        assertEquals(Optional.of(List.of(2, 5, 6, 7, 8, 9)), after.missing(sha));
        assertArrayEquals(pkg, broker.deliver(after, 1000).orElseThrow().packageFile());
    }

    @Test
    void aChunkOfAnotherReleaseIsRefusedAndNotKept() {
        byte[] other = new byte[3 * CHUNK];
        new Random(4).nextBytes(other);
        ReleaseIndex ox = ReleaseIndex.of(other, CHUNK);
        ChunkFetcher f = fetcher(dir.resolve("state"));
        f.instructed(release);
        broker.deliver(f, 1);
        RejectedException e = assertThrows(RejectedException.class,
                () -> f.received(new ChunkMessage(ox.packageSha256(), 0, ox.slice(other, 0)).encode()));
        assertEquals(TransferFailure.CHUNK_MISMATCH, e.reason());
        assertTrue(e.userMessage().contains("not fetching"), e.userMessage());
        RejectedException relabelled = assertThrows(RejectedException.class,
                () -> f.received(new ChunkMessage(sha, 0, ox.slice(other, 0)).encode()));
        assertEquals(TransferFailure.CHUNK_MISMATCH, relabelled.reason());
        assertFalse(Files.exists(dir.resolve("state/releases/" + ox.packageSha256())));
        assertFalse(Files.exists(dir.resolve("state/releases/" + sha + "/0.chunk")));
        assertEquals(Optional.of(10), f.missing(sha).map(List::size));
        assertArrayEquals(pkg, broker.deliver(f, 1000).orElseThrow().packageFile());
    }

    @Test
    void anIndexNotSignedByTheCampaignKeyOrNotMatchingTheInstructionIsRefused() {
        broker.retained.put(TOPICS.releaseIndex(sha), index.sign(fx.oem.release()));
        ChunkFetcher f = fetcher(dir.resolve("state"));
        f.instructed(release);
        assertEquals(TransferFailure.BAD_RELEASE_INDEX,
                assertThrows(RejectedException.class, () -> broker.deliver(f, 1)).reason());
        assertFalse(Files.exists(dir.resolve("state/releases/" + sha + "/index")));
        ReleaseIndex bigger = ReleaseIndex.of(java.util.Arrays.copyOf(pkg, pkg.length), 2 * CHUNK);
        assertEquals(TransferFailure.BAD_RELEASE_INDEX, assertThrows(RejectedException.class,
                () -> f.received(bigger.sign(fx.oem.campaign()))).reason(), "same package, other chunking than instructed");
    }

    @Test
    void refusesAReleaseInstructionForAnotherVehicleOrAnotherPackageOrTooLargeForTheStore() {
        ChunkFetcher f = fetcher(dir.resolve("state"));
        assertEquals(InstructionFailure.WRONG_VEHICLE, assertThrows(RejectedException.class,
                () -> f.instructed(instruction("veh-2", sha, pkg.length, 10))).reason());
        byte[] pointsElsewhere = new ReleaseInstruction(ReleaseInstruction.decode(release).instruction(), "f".repeat(64),
                pkg.length, 10).encode();
        assertEquals(InstructionFailure.PACKAGE_MISMATCH,
                assertThrows(RejectedException.class, () -> f.instructed(pointsElsewhere)).reason());
        ChunkFetcher small = new ChunkFetcher(new DiskChunkStore(dir.resolve("small"), 4096), TOPICS, "veh-1",
                fx.oem::trustStore, clock, Duration.ofSeconds(10), broker);
        assertEquals(TransferFailure.TRANSFER_TOO_LARGE,
                assertThrows(RejectedException.class, () -> small.instructed(release)).reason());
        assertFalse(Files.exists(dir.resolve("small/releases/" + sha)));
        assertTrue(broker.subscribes.isEmpty(), "nothing asked for: " + broker.subscribes);
    }
}

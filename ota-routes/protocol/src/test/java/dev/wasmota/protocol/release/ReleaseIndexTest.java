package dev.wasmota.protocol.release;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.protocol.wire.Frames;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pki.ClientKind;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The signed release index and the chunk and instruction frames: round trips and a refusal per bad field. */
class ReleaseIndexTest {
    @TempDir
    Path dir;
    Fixtures fx;
    byte[] pkg;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
        pkg = new byte[10_000];
        new Random(7).nextBytes(pkg);
    }

    static RejectedException assertRejected(Reason reason, Executable call) {
        RejectedException e = assertThrows(RejectedException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(!e.userMessage().contains("\n"), e.userMessage());
        return e;
    }

    @Test
    void cutsAPackageIntoChunksWhoseHashesItLists() {
        ReleaseIndex x = ReleaseIndex.of(pkg, 4096);
        assertEquals(3, x.chunkCount());
        assertEquals(4096, x.chunkLength(0));
        assertEquals(10_000 - 8192, x.chunkLength(2));
        assertEquals(Digests.sha256Hex(pkg), x.packageSha256());
        for (int i = 0; i < 3; i++) {
            x.verifyChunk(i, x.slice(pkg, i));
        }
    }

    @Test
    void roundTripsSignedByTheCampaignKey() {
        ReleaseIndex x = ReleaseIndex.of(pkg, 1024);
        ReleaseIndex back = ReleaseIndex.open(x.sign(fx.oem.campaign()), fx.oem.trustStore(), fx.clock);
        assertEquals(x, back);
        assertArrayEquals(x.chunkHashes(), back.chunkHashes());
    }

    @Test
    void refusesAnIndexSignedByAnotherKeyThanTheCampaignKey() {
        ReleaseIndex x = ReleaseIndex.of(pkg, 1024);
        assertRejected(TransferFailure.BAD_RELEASE_INDEX, () -> ReleaseIndex.open(x.sign(fx.oem.release()), fx.oem.trustStore(), fx.clock));
        var vehicle = fx.oem.issueClient(ClientKind.VEHICLE, "veh-1");
        assertRejected(TransferFailure.BAD_RELEASE_INDEX, () -> ReleaseIndex.open(x.sign(vehicle), fx.oem.trustStore(), fx.clock));
        Fixtures other = new Fixtures(dir.resolve("other"), 99);
        assertRejected(TransferFailure.BAD_RELEASE_INDEX, () -> ReleaseIndex.open(x.sign(other.oem.campaign()), fx.oem.trustStore(), fx.clock));
    }

    @Test
    void refusesAnIndexWithAnyByteOfItsContentChanged() {
        byte[] signed = ReleaseIndex.of(pkg, 1024).sign(fx.oem.campaign());
        byte[] hashes = ReleaseIndex.of(pkg, 1024).chunkHashes();
        int at = Fixtures.indexOf(signed, hashes);
        assertTrue(at > 0);
        for (int off : new int[] {at - 20, at - 5, at, at + hashes.length - 1}) {
            byte[] bad = signed.clone();
            bad[off] ^= 1;
            assertThrows(RejectedException.class, () -> ReleaseIndex.open(bad, fx.oem.trustStore(), fx.clock), "byte " + off);
        }
    }

    @Test
    void refusesGarbageAndOversizedFramesBeforeReadingThem() {
        assertRejected(TransferFailure.BAD_RELEASE_INDEX, () -> ReleaseIndex.open(Frames.encode("WOTX", new byte[] {1, 2, 3}),
                fx.oem.trustStore(), fx.clock));
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> ReleaseIndex.open(new byte[] {1, 2}, fx.oem.trustStore(), fx.clock));
        assertRejected(RouteFailure.OVERSIZED_MESSAGE, () -> ReleaseIndex.open(
                Frames.encode("WOTX", new byte[ReleaseIndex.MAX_FRAME_BYTES + 1]), fx.oem.trustStore(), fx.clock));
    }

    @Test
    void refusesIndexFieldsOutOfRange() {
        byte[] h = new byte[32];
        String d = "a".repeat(64);
        assertRejected(TransferFailure.BAD_RELEASE_INDEX, () -> new ReleaseIndex("A".repeat(64), 10, 1024, h));
        assertRejected(TransferFailure.BAD_RELEASE_INDEX, () -> new ReleaseIndex(d, 0, 1024, new byte[0]));
        assertRejected(TransferFailure.BAD_RELEASE_INDEX, () -> new ReleaseIndex(d, 10, 512, h));
        assertRejected(TransferFailure.BAD_RELEASE_INDEX, () -> new ReleaseIndex(d, 10, ReleaseIndex.MAX_CHUNK_BYTES + 1, h));
        assertRejected(TransferFailure.BAD_RELEASE_INDEX, () -> new ReleaseIndex(d, 2000, 1024, h));
        assertRejected(TransferFailure.BAD_RELEASE_INDEX, () -> new ReleaseIndex(d, Long.MAX_VALUE, 1024, h));
    }

    @Test
    void refusesAChunkWithAFlippedByteAWrongLengthOrOutOfRange() {
        ReleaseIndex x = ReleaseIndex.of(pkg, 4096);
        byte[] c = x.slice(pkg, 1);
        c[100] ^= 1;
        assertRejected(TransferFailure.CHUNK_MISMATCH, () -> x.verifyChunk(1, c));
        assertRejected(TransferFailure.CHUNK_MISMATCH, () -> x.verifyChunk(0, x.slice(pkg, 1)));
        assertRejected(TransferFailure.CHUNK_MISMATCH, () -> x.verifyChunk(2, new byte[4096]));
        assertRejected(TransferFailure.CHUNK_MISMATCH, () -> x.verifyChunk(3, new byte[1]));
        assertRejected(TransferFailure.CHUNK_MISMATCH, () -> x.verifyChunk(-1, new byte[1]));
    }

    @Test
    void chunkFramesRoundTripAndAreBoundedByTheIndexChunkSize() {
        String d = Digests.sha256Hex(pkg);
        ChunkMessage m = new ChunkMessage(d, 5, new byte[] {9, 8, 7});
        byte[] wire = m.encode();
        assertTrue(ChunkMessage.isChunk(wire));
        ChunkMessage back = ChunkMessage.decode(wire, 1024);
        assertEquals(d, back.packageSha256());
        assertEquals(5, back.index());
        assertArrayEquals(new byte[] {9, 8, 7}, back.bytes());
        assertRejected(RouteFailure.OVERSIZED_MESSAGE, () -> ChunkMessage.decode(new ChunkMessage(d, 0, new byte[1025]).encode(), 1024));
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> ChunkMessage.decode(Frames.encode("WOTK", new byte[31], new byte[4], new byte[1]), 1024));
        assertRejected(TransferFailure.CHUNK_MISMATCH, () -> ChunkMessage.decode(Frames.encode("WOTK", new byte[32],
                new byte[] {-1, -1, -1, -1}, new byte[1]), 1024));
    }

    @Test
    void releaseInstructionsRoundTripAndRefuseBadFields() {
        String d = Digests.sha256Hex(pkg);
        byte[] wire = new ReleaseInstruction(new byte[] {1, 2}, d, 10_000, 3).encode();
        assertTrue(ReleaseInstruction.isReleaseInstruction(wire));
        ReleaseInstruction back = ReleaseInstruction.decode(wire);
        assertEquals(d, back.packageSha256());
        assertEquals(10_000, back.length());
        assertEquals(3, back.chunkCount());
        assertArrayEquals(new byte[] {1, 2}, back.instruction());
        assertRejected(RouteFailure.OVERSIZED_MESSAGE, () -> ReleaseInstruction.decode(new ReleaseInstruction(new byte[1], d,
                Long.MAX_VALUE, 3).encode()));
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> ReleaseInstruction.decode(new ReleaseInstruction(new byte[1], d, 10, 0).encode()));
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> ReleaseInstruction.decode(Frames.encode("WOTR", new byte[1], new byte[32], new byte[7], new byte[4])));
        assertRejected(RouteFailure.OVERSIZED_MESSAGE, () -> ReleaseInstruction.decode(Frames.encode("WOTR", new byte[20_000],
                new byte[32], new byte[8], new byte[4])));
    }
}

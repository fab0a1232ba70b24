package dev.wasmota.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.contract.error.RejectedException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class FramesTest {
    static final String KIND = "TEST";

    static RejectedException assertRejected(RouteFailure reason, Executable call) {
        RejectedException e = assertThrows(RejectedException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    /** A frame header (tag, version, count) followed by {@code rest} verbatim. */
    static byte[] raw(String tag, int version, int count, byte... rest) {
        return ByteBuffer.allocate(6 + rest.length).put(tag.getBytes(StandardCharsets.US_ASCII))
                .put((byte) version).put((byte) count).put(rest).array();
    }

    static byte[] u32(long value) {
        return ByteBuffer.allocate(4).putInt((int) value).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    @Test
    void roundTripsPartsInOrderIncludingAnEmptyOne() {
        byte[] a = "first".getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[0];
        byte[] c = {0, (byte) 0xff, 7};
        List<byte[]> parts = Frames.decode(Frames.encode(KIND, a, b, c), KIND, 3, 5, 0, 3);
        assertEquals(3, parts.size());
        assertArrayEquals(a, parts.get(0));
        assertArrayEquals(b, parts.get(1));
        assertArrayEquals(c, parts.get(2));
    }

    @Test
    void roundTripsAFrameWithFewerPartsThanLimitsWhenMinimumAllows() {
        List<byte[]> parts = Frames.decode(Frames.encode(KIND, new byte[] {9}), KIND, 1, 1, 100);
        assertEquals(1, parts.size());
        assertArrayEquals(new byte[] {9}, parts.get(0));
    }

    @Test
    void encodesTagVersionCountAndBigEndianLengths() {
        byte[] expected = {'T', 'E', 'S', 'T', 1, 2, 0, 0, 0, 2, 'h', 'i', 0, 0, 1, 0};
        byte[] second = new byte[256];
        byte[] encoded = Frames.encode(KIND, "hi".getBytes(StandardCharsets.US_ASCII), second);
        assertArrayEquals(expected, Arrays.copyOf(encoded, expected.length));
        assertEquals(expected.length + 256, encoded.length);
        assertEquals(1, Frames.VERSION);
    }

    @Test
    void acceptsPartExactlyAtItsLimit() {
        byte[] part = new byte[64];
        assertArrayEquals(part, Frames.decode(Frames.encode(KIND, part), KIND, 1, 64).get(0));
    }

    @Test
    void refusesKindTagThatIsNotFourAsciiCharacters() {
        assertThrows(IllegalArgumentException.class, () -> Frames.encode("TOOLONG", new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Frames.decode(new byte[10], "ABC", 0));
    }

    @Test
    void refusesPayloadShorterThanAHeader() {
        byte[] full = Frames.encode(KIND);
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> Frames.decode(Arrays.copyOf(full, 5), KIND, 0));
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> Frames.decode(new byte[0], KIND, 0));
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> Frames.decode(null, KIND, 0));
    }

    @Test
    void decodesHeaderOnlyFrameWithNoParts() {
        assertEquals(0, Frames.decode(Frames.encode(KIND), KIND, 0).size());
    }

    @Test
    void refusesFrameOfAnotherKind() {
        byte[] other = Frames.encode("ELSE", new byte[] {1});
        RejectedException e = assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> Frames.decode(other, KIND, 1, 10));
        assertTrue(e.getMessage().contains("not a " + KIND), e.getMessage());
    }

    @Test
    void refusesOtherFormatVersion() {
        byte[] frame = Frames.encode(KIND, new byte[] {1});
        frame[4] = 2;
        RejectedException e = assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> Frames.decode(frame, KIND, 1, 10));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
        frame[4] = 0;
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> Frames.decode(frame, KIND, 1, 10));
    }

    @Test
    void refusesTooFewParts() {
        byte[] frame = Frames.encode(KIND, new byte[] {1});
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> Frames.decode(frame, KIND, 2, 10, 10));
    }

    @Test
    void refusesMorePartsThanThereAreLimits() {
        byte[] frame = Frames.encode(KIND, new byte[] {1}, new byte[] {2}, new byte[] {3});
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> Frames.decode(frame, KIND, 1, 10, 10));
    }

    @Test
    void refusesCountByteClaimingPartsThatAreAbsent() {
        byte[] frame = raw(KIND, 1, 2, concat(u32(1), new byte[] {5}));
        RejectedException e = assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> Frames.decode(frame, KIND, 1, 10, 10));
        assertTrue(e.getMessage().contains("part 2 is cut off"), e.getMessage());
    }

    @Test
    void refusesPartLongerThanItsLimit() {
        byte[] frame = Frames.encode(KIND, new byte[65]);
        assertRejected(RouteFailure.OVERSIZED_MESSAGE, () -> Frames.decode(frame, KIND, 1, 64));
    }

    @Test
    void appliesEachPartsOwnLimit() {
        byte[] frame = Frames.encode(KIND, new byte[50], new byte[5]);
        assertEquals(2, Frames.decode(frame, KIND, 2, 50, 5).size());
        RejectedException e = assertRejected(RouteFailure.OVERSIZED_MESSAGE, () -> Frames.decode(frame, KIND, 2, 100, 4));
        assertTrue(e.getMessage().contains("part 2"), e.getMessage());
    }

    @Test
    void refusesPartLongerThanItsLimitBeforeAllocating() {
        // 2 GiB claimed in a 20-byte payload: above even an Integer.MAX_VALUE limit, and never allocated.
        byte[] frame = raw(KIND, 1, 1, concat(u32(0x8000_0000L), new byte[10]));
        assertEquals(20, frame.length);
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertRejected(RouteFailure.OVERSIZED_MESSAGE, () -> Frames.decode(frame, KIND, 1, Integer.MAX_VALUE)));
        byte[] fourGiB = raw(KIND, 1, 1, concat(u32(0xFFFF_FFFFL), new byte[10]));
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertRejected(RouteFailure.OVERSIZED_MESSAGE, () -> Frames.decode(fourGiB, KIND, 1, 1024)));
    }

    @Test
    void refusesPartClaimingMoreBytesThanRemainWithoutAllocatingThem() {
        // Within a generous limit but far beyond the payload: cut off, not an attempt at a 2 GiB array.
        byte[] frame = raw(KIND, 1, 1, concat(u32(Integer.MAX_VALUE), new byte[10]));
        RejectedException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> Frames.decode(frame, KIND, 1, Integer.MAX_VALUE)));
        assertTrue(e.getMessage().contains("claims"), e.getMessage());
    }

    @Test
    void refusesCutOffPart() {
        byte[] frame = Frames.encode(KIND, new byte[] {1, 2, 3, 4});
        assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> Frames.decode(Arrays.copyOf(frame, frame.length - 1), KIND, 1, 10));
    }

    @Test
    void refusesCutOffLengthPrefix() {
        byte[] frame = Frames.encode(KIND, new byte[] {1}, new byte[] {2});
        byte[] cut = Arrays.copyOf(frame, 6 + 4 + 1 + 2);
        RejectedException e = assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> Frames.decode(cut, KIND, 2, 10, 10));
        assertTrue(e.getMessage().contains("cut off"), e.getMessage());
    }

    @Test
    void refusesTrailingBytesAfterTheLastPart() {
        byte[] frame = Frames.encode(KIND, new byte[] {1});
        byte[] trailing = concat(frame, new byte[] {0});
        RejectedException e = assertRejected(RouteFailure.MALFORMED_MESSAGE, () -> Frames.decode(trailing, KIND, 1, 10));
        assertTrue(e.getMessage().contains("after the last part"), e.getMessage());
    }

    @Test
    void refusesToEncodeMorePartsThanTheCountByteHolds() {
        assertThrows(IllegalArgumentException.class, () -> Frames.encode(KIND, new byte[256][0]));
    }
}

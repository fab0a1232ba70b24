package dev.wasmota.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.pki.SignedTrustUpdate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link TrustUpdateMessage} (WOTT): a round trip and one refusal per malformed part of the frame. */
class TrustUpdateMessageTest {
    static final byte[] UPDATE = "signed trust update".getBytes(StandardCharsets.UTF_8);

    static void assertRejected(RouteFailure reason, byte[] payload) {
        RejectedException e = assertThrows(RejectedException.class, () -> TrustUpdateMessage.decode(payload));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    @Test
    void roundTripsUnderItsOwnKind() {
        byte[] encoded = new TrustUpdateMessage(UPDATE).encode();
        assertEquals("WOTT", new String(encoded, 0, 4, StandardCharsets.US_ASCII));
        assertArrayEquals(UPDATE, TrustUpdateMessage.decode(encoded).trustUpdate());
        assertTrue(TrustUpdateMessage.isTrustUpdate(encoded));
        assertFalse(TrustUpdateMessage.isTrustUpdate(new UpdateMessage(UPDATE, UPDATE).encode()));
        assertFalse(TrustUpdateMessage.isTrustUpdate(new byte[] {'W', 'O'}));
        assertFalse(TrustUpdateMessage.isTrustUpdate(null));
    }

    @Test
    void refusesAnUpdateMessageOrAnotherKind() {
        assertRejected(RouteFailure.MALFORMED_MESSAGE, new UpdateMessage(UPDATE, UPDATE).encode());
    }

    @Test
    void refusesAMissingPartOrAnExtraOne() {
        assertRejected(RouteFailure.MALFORMED_MESSAGE, Frames.encode(TrustUpdateMessage.KIND));
        assertRejected(RouteFailure.MALFORMED_MESSAGE, Frames.encode(TrustUpdateMessage.KIND, UPDATE, UPDATE));
    }

    @Test
    void refusesAPartLongerThanATrustUpdateFileBeforeAllocating() {
        byte[] claiming = ByteBuffer.allocate(6 + 4 + 8).put("WOTT".getBytes(StandardCharsets.US_ASCII))
                .put((byte) Frames.VERSION).put((byte) 1).putInt(SignedTrustUpdate.MAX_FILE_BYTES + 1).put(new byte[8]).array();
        assertRejected(RouteFailure.OVERSIZED_MESSAGE, claiming);
    }

    @Test
    void refusesATruncatedPart() {
        byte[] encoded = new TrustUpdateMessage(UPDATE).encode();
        assertRejected(RouteFailure.MALFORMED_MESSAGE, java.util.Arrays.copyOf(encoded, encoded.length - 1));
    }
}

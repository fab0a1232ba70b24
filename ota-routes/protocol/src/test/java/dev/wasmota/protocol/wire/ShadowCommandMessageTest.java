package dev.wasmota.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.signing.instruction.SignedShadowCommand;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link ShadowCommandMessage} (WOTC): a round trip and one refusal per malformed part of the frame. */
class ShadowCommandMessageTest {
    static final byte[] COMMAND = "signed shadow command".getBytes(StandardCharsets.UTF_8);

    static void assertRejected(RouteFailure reason, byte[] payload) {
        RejectedException e = assertThrows(RejectedException.class, () -> ShadowCommandMessage.decode(payload));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    @Test
    void roundTripsUnderItsOwnKind() {
        byte[] encoded = new ShadowCommandMessage(COMMAND).encode();
        assertEquals("WOTC", new String(encoded, 0, 4, StandardCharsets.US_ASCII));
        assertArrayEquals(COMMAND, ShadowCommandMessage.decode(encoded).command());
        assertTrue(ShadowCommandMessage.isShadowCommand(encoded));
        assertFalse(ShadowCommandMessage.isShadowCommand(new UpdateMessage(COMMAND, COMMAND).encode()));
        assertFalse(ShadowCommandMessage.isShadowCommand(new TrustUpdateMessage(COMMAND).encode()));
        assertFalse(ShadowCommandMessage.isShadowCommand(new byte[] {'W', 'O'}));
        assertFalse(ShadowCommandMessage.isShadowCommand(null));
    }

    @Test
    void refusesAnotherKindAMissingOrExtraPartAndATruncatedOne() {
        assertRejected(RouteFailure.MALFORMED_MESSAGE, new TrustUpdateMessage(COMMAND).encode());
        assertRejected(RouteFailure.MALFORMED_MESSAGE, Frames.encode(ShadowCommandMessage.KIND));
        assertRejected(RouteFailure.MALFORMED_MESSAGE, Frames.encode(ShadowCommandMessage.KIND, COMMAND, COMMAND));
        byte[] encoded = new ShadowCommandMessage(COMMAND).encode();
        assertRejected(RouteFailure.MALFORMED_MESSAGE, java.util.Arrays.copyOf(encoded, encoded.length - 1));
    }

    @Test
    void refusesAPartLongerThanACommandFileBeforeAllocating() {
        byte[] claiming = ByteBuffer.allocate(6 + 4 + 8).put("WOTC".getBytes(StandardCharsets.US_ASCII))
                .put((byte) Frames.VERSION).put((byte) 1).putInt(SignedShadowCommand.MAX_FILE_BYTES + 1).put(new byte[8]).array();
        assertRejected(RouteFailure.OVERSIZED_MESSAGE, claiming);
    }
}

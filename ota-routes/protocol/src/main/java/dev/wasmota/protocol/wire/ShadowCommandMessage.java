package dev.wasmota.protocol.wire;

import dev.wasmota.signing.instruction.SignedShadowCommand;
import java.util.List;

/**
 * An operator's shadow command on a vehicle's update topic ({@value #KIND}, beside
 * {@link UpdateMessage}'s {@code WOTU}): the signed command file (promote or discard the shadow a
 * campaign instruction started), opaque here; the ECU host verifies it against its trust before it
 * parses it.
 *
 * @param command the signed shadow command file
 */
public record ShadowCommandMessage(byte[] command) {
    public static final String KIND = "WOTC";
    /** The largest payload: the file and the framing. */
    public static final long MAX_BYTES = 6 + 4 + SignedShadowCommand.MAX_FILE_BYTES;

    public byte[] encode() {
        return Frames.encode(KIND, command);
    }

    /** Decodes a shadow command payload; refused as malformed or oversized with a one-line reason. */
    public static ShadowCommandMessage decode(byte[] payload) {
        return new ShadowCommandMessage(Frames.decode(payload, KIND, 1, SignedShadowCommand.MAX_FILE_BYTES).get(0));
    }

    /** Whether {@code payload} is tagged as a shadow command (its four-byte kind), before any decoding. */
    public static boolean isShadowCommand(byte[] payload) {
        return payload != null && payload.length >= 4 && payload[0] == 'W' && payload[1] == 'O' && payload[2] == 'T'
                && payload[3] == 'C';
    }
}

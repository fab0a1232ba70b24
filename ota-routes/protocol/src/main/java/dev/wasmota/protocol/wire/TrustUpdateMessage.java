package dev.wasmota.protocol.wire;

import dev.wasmota.signing.pki.SignedTrustUpdate;
import java.util.List;

/**
 * A trust update on a vehicle's update topic ({@value #KIND}, beside {@link UpdateMessage}'s
 * {@code WOTU}): the signed trust update file, opaque here; the ECU host verifies it against its
 * provisioned root before it parses it.
 *
 * @param trustUpdate the signed trust update file
 */
public record TrustUpdateMessage(byte[] trustUpdate) {
    public static final String KIND = "WOTT";
    /** The largest trust update payload: the file and the framing. */
    public static final long MAX_BYTES = 6 + 4 + SignedTrustUpdate.MAX_FILE_BYTES;

    public byte[] encode() {
        return Frames.encode(KIND, trustUpdate);
    }

    /** Decodes a trust update payload; refused as malformed or oversized with a one-line reason. */
    public static TrustUpdateMessage decode(byte[] payload) {
        List<byte[]> parts = Frames.decode(payload, KIND, 1, SignedTrustUpdate.MAX_FILE_BYTES);
        return new TrustUpdateMessage(parts.get(0));
    }

    /** Whether {@code payload} is tagged as a trust update (its four-byte kind), before any decoding. */
    public static boolean isTrustUpdate(byte[] payload) {
        return payload != null && payload.length >= 4 && payload[0] == 'W' && payload[1] == 'O' && payload[2] == 'T'
                && payload[3] == 'T';
    }
}

package dev.wasmota.routes.vehicle.release;

import dev.wasmota.protocol.release.ChunkMessage;
import dev.wasmota.protocol.release.ReleaseIndex;
import dev.wasmota.protocol.release.ReleaseInstruction;

/** Which of a vehicle's incoming messages belong to a release in chunks, by their frame tag alone (for the route's choice). */
public final class ReleaseTraffic {
    private ReleaseTraffic() {
    }

    public static boolean isReleaseInstruction(byte[] payload) {
        return ReleaseInstruction.isReleaseInstruction(payload);
    }

    /** A release index or chunk, from the release topics; or an empty message, a release topic being cleared. */
    public static boolean isReleaseTopicMessage(byte[] payload) {
        return payload == null || payload.length == 0 || ChunkMessage.isChunk(payload) || tagged(payload, ReleaseIndex.KIND);
    }

    private static boolean tagged(byte[] payload, String kind) {
        if (payload == null || payload.length < 4) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (payload[i] != (byte) kind.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}

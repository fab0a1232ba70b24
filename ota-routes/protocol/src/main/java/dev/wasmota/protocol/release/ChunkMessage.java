package dev.wasmota.protocol.release;

import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.protocol.wire.Frames;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;

/**
 * One chunk of a release on its retained topic ({@code ROOT/release/<sha256>/chunk/<n>}): the
 * release's digest, the chunk's number and its bytes, as a {@value #KIND} frame. Unsigned on
 * purpose: the vehicle holds it against the signed {@link ReleaseIndex} before keeping it.
 */
public record ChunkMessage(String packageSha256, int index, byte[] bytes) {
    public static final String KIND = "WOTK";

    public ChunkMessage {
        if (packageSha256 == null || !Digests.SHA256_HEX.matcher(packageSha256).matches()) {
            throw new IllegalArgumentException("package digest is not 64 lowercase hex digits");
        }
        if (index < 0 || index >= ReleaseIndex.MAX_CHUNKS) {
            throw new IllegalArgumentException("chunk number " + index + " is outside 0.." + (ReleaseIndex.MAX_CHUNKS - 1));
        }
    }

    public byte[] encode() {
        return Frames.encode(KIND, HexFormat.of().parseHex(packageSha256), ByteBuffer.allocate(4).putInt(index).array(), bytes);
    }

    /** Whether {@code payload} is framed as a chunk (its fields not yet read). */
    public static boolean isChunk(byte[] payload) {
        return hasTag(payload, KIND);
    }

    /**
     * Decodes a chunk frame whose bytes may be at most {@code maxChunkBytes} long (the signed
     * index's chunk size): anything longer is refused before it is copied.
     */
    public static ChunkMessage decode(byte[] payload, int maxChunkBytes) {
        List<byte[]> p = Frames.decode(payload, KIND, 3, 32, 4, maxChunkBytes);
        if (p.get(0).length != 32 || p.get(1).length != 4) {
            throw new RejectedException(RouteFailure.MALFORMED_MESSAGE, "malformed " + KIND + " message: a field has the wrong width");
        }
        int index = ByteBuffer.wrap(p.get(1)).getInt();
        if (index < 0 || index >= ReleaseIndex.MAX_CHUNKS) {
            throw new RejectedException(TransferFailure.CHUNK_MISMATCH, "chunk number " + index + " is out of range");
        }
        return new ChunkMessage(HexFormat.of().formatHex(p.get(0)), index, p.get(2));
    }

    static boolean hasTag(byte[] payload, String kind) {
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

package dev.wasmota.protocol.wire;

import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.contract.error.RejectedException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary framing every pipeline message uses: a four-byte kind tag, a version byte, a part
 * count, then each part as a big-endian 32-bit length and its bytes. Every length is checked
 * against the caller's per-part limit before anything is copied, so a hostile payload cannot make
 * the reader allocate more than the limits allow.
 */
public final class Frames {
    public static final int VERSION = 1;
    private static final int HEADER = 4 + 1 + 1;

    private Frames() {
    }

    /** Encodes {@code parts} under the four-character {@code kind} tag. */
    public static byte[] encode(String kind, byte[]... parts) {
        byte[] tag = tag(kind);
        if (parts.length > 255) {
            throw new IllegalArgumentException("a frame holds at most 255 parts, not " + parts.length);
        }
        int size = HEADER;
        for (byte[] p : parts) {
            size = Math.addExact(size, 4 + p.length);
        }
        ByteBuffer b = ByteBuffer.allocate(size).put(tag).put((byte) VERSION).put((byte) parts.length);
        for (byte[] p : parts) {
            b.putInt(p.length).put(p);
        }
        return b.array();
    }

    /**
     * Decodes a payload of {@code kind} whose part {@code i} may be at most {@code maxPartBytes[i]}
     * long; parts beyond the limits' count are refused, and so is a missing part.
     */
    public static List<byte[]> decode(byte[] payload, String kind, int minParts, int... maxPartBytes) {
        byte[] tag = tag(kind);
        if (payload == null || payload.length < HEADER) {
            throw malformed(kind, "payload of " + (payload == null ? 0 : payload.length) + " bytes is shorter than a header");
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        byte[] seen = new byte[4];
        b.get(seen);
        if (!java.util.Arrays.equals(seen, tag)) {
            throw malformed(kind, "not a " + kind + " message");
        }
        int version = b.get() & 0xff;
        if (version != VERSION) {
            throw malformed(kind, "format version " + version + "; this program reads version " + VERSION);
        }
        int count = b.get() & 0xff;
        if (count < minParts || count > maxPartBytes.length) {
            throw malformed(kind, count + " parts; expected " + minParts + " to " + maxPartBytes.length);
        }
        List<byte[]> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (b.remaining() < 4) {
                throw malformed(kind, "part " + (i + 1) + " is cut off");
            }
            long len = Integer.toUnsignedLong(b.getInt());
            if (len > maxPartBytes[i]) {
                throw new RejectedException(RouteFailure.OVERSIZED_MESSAGE, kind + " message part " + (i + 1) + " is "
                        + len + " bytes; at most " + maxPartBytes[i] + " allowed");
            }
            if (len > b.remaining()) {
                throw malformed(kind, "part " + (i + 1) + " claims " + len + " bytes; " + b.remaining() + " remain");
            }
            byte[] part = new byte[(int) len];
            b.get(part);
            parts.add(part);
        }
        if (b.hasRemaining()) {
            throw malformed(kind, b.remaining() + " bytes after the last part");
        }
        return parts;
    }

    private static byte[] tag(String kind) {
        byte[] tag = kind.getBytes(StandardCharsets.US_ASCII);
        if (tag.length != 4) {
            throw new IllegalArgumentException("a message kind tag has four ASCII characters: " + kind);
        }
        return tag;
    }

    private static RejectedException malformed(String kind, String why) {
        return new RejectedException(RouteFailure.MALFORMED_MESSAGE, "malformed " + kind + " message: " + why);
    }
}

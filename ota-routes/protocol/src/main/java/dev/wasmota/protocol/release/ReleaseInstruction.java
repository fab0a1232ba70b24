package dev.wasmota.protocol.release;

import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.protocol.wire.Frames;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.pkg.PackageFile;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;

/**
 * What the OEM sends a vehicle on its update topic when the release travels in chunks: the signed
 * campaign instruction, and the digest, length and chunk count of the package it names, instead
 * of the package ({@value #KIND}, a few kilobytes whatever the package's size). The digest is
 * only a pointer to the release topics: the instruction's own digest is the one that counts, and
 * the length and count are checked again against the signed {@link ReleaseIndex}.
 */
public record ReleaseInstruction(byte[] instruction, String packageSha256, long length, int chunkCount) {
    public static final String KIND = "WOTR";

    public ReleaseInstruction {
        if (packageSha256 == null || !Digests.SHA256_HEX.matcher(packageSha256).matches()) {
            throw new IllegalArgumentException("package digest is not 64 lowercase hex digits");
        }
    }

    public byte[] encode() {
        return Frames.encode(KIND, instruction, HexFormat.of().parseHex(packageSha256),
                ByteBuffer.allocate(8).putLong(length).array(), ByteBuffer.allocate(4).putInt(chunkCount).array());
    }

    /** Whether {@code payload} is framed as a release instruction (its fields not yet read). */
    public static boolean isReleaseInstruction(byte[] payload) {
        return ChunkMessage.hasTag(payload, KIND);
    }

    /** Decodes a release instruction; refused as malformed or oversized with a one-line reason. */
    public static ReleaseInstruction decode(byte[] payload) {
        List<byte[]> p = Frames.decode(payload, KIND, 4, SignedInstruction.MAX_FILE_BYTES, 32, 8, 4);
        if (p.get(1).length != 32 || p.get(2).length != 8 || p.get(3).length != 4) {
            throw malformed("a field has the wrong width");
        }
        long length = ByteBuffer.wrap(p.get(2)).getLong();
        int count = ByteBuffer.wrap(p.get(3)).getInt();
        if (length < 1 || length > PackageFile.MAX_FILE_BYTES) {
            throw new RejectedException(RouteFailure.OVERSIZED_MESSAGE, "release instruction names a package of " + length
                    + " bytes; at most " + PackageFile.MAX_FILE_BYTES + " allowed");
        }
        if (count < 1 || count > ReleaseIndex.MAX_CHUNKS) {
            throw malformed("chunk count " + count + " is outside 1.." + ReleaseIndex.MAX_CHUNKS);
        }
        return new ReleaseInstruction(p.get(0), HexFormat.of().formatHex(p.get(1)), length, count);
    }

    private static RejectedException malformed(String why) {
        return new RejectedException(RouteFailure.MALFORMED_MESSAGE, "malformed " + KIND + " message: " + why);
    }
}

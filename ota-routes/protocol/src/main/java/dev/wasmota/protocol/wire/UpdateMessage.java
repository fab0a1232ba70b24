package dev.wasmota.protocol.wire;

import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.pkg.PackageFile;
import java.util.List;

/**
 * What the OEM sends a vehicle on its update topic: the signed campaign instruction and the
 * package it names, both opaque here; the ECU host verifies both before it parses either.
 *
 * @param instruction the signed instruction file
 * @param packageFile the dual-signed package file
 */
public record UpdateMessage(byte[] instruction, byte[] packageFile) {
    public static final String KIND = "WOTU";
    /** The largest update payload: an instruction, a package and the framing. */
    public static final long MAX_BYTES = 6 + 8 + SignedInstruction.MAX_FILE_BYTES + PackageFile.MAX_FILE_BYTES;

    public byte[] encode() {
        return Frames.encode(KIND, instruction, packageFile);
    }

    /** Decodes an update payload; refused as malformed or oversized with a one-line reason. */
    public static UpdateMessage decode(byte[] payload) {
        List<byte[]> parts = Frames.decode(payload, KIND, 2, SignedInstruction.MAX_FILE_BYTES,
                (int) Math.min(Integer.MAX_VALUE, PackageFile.MAX_FILE_BYTES));
        return new UpdateMessage(parts.get(0), parts.get(1));
    }
}

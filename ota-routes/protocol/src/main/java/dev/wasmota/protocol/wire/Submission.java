package dev.wasmota.protocol.wire;

import dev.wasmota.signing.pkg.PackageFile;
import java.util.List;
import java.util.Optional;

/**
 * What a supplier sends the OEM on its submit topic: the supplier-signed package and, optionally,
 * the CONTRACT test-vector file the OEM's intake runs in the vehicle's sandbox.
 *
 * @param packageFile the supplier-signed package file
 * @param vectors the test-vector JSON, if any
 */
public record Submission(byte[] packageFile, Optional<byte[]> vectors) {
    public static final String KIND = "WOTP";
    /** The largest test-vector file a submission may carry. */
    public static final int MAX_VECTORS_BYTES = 1024 * 1024;

    public byte[] encode() {
        return vectors.map(v -> Frames.encode(KIND, packageFile, v)).orElseGet(() -> Frames.encode(KIND, packageFile));
    }

    public static Submission decode(byte[] payload) {
        List<byte[]> parts = Frames.decode(payload, KIND, 1, (int) Math.min(Integer.MAX_VALUE, PackageFile.MAX_FILE_BYTES),
                MAX_VECTORS_BYTES);
        return new Submission(parts.get(0), parts.size() > 1 ? Optional.of(parts.get(1)) : Optional.empty());
    }
}

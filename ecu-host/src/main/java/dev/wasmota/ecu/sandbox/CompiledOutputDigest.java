package dev.wasmota.ecu.sandbox;

/**
 * A digest of what Chicory's compiler produced for a module that is the same for the same input
 * on every machine. Chicory serializes its output as a zip whose entry times and whose properties
 * comment carry the current time; the class files themselves are byte-identical across runs
 * (measured). So the digest covers each entry's name and bytes in name order, and the properties
 * without their comment lines, and nothing else.
 */
public final class CompiledOutputDigest {
    /** The compiler whose output this digests; part of the OEM's statement. */
    public static final String COMPILER = "chicory-compiler/1.7.5";

    private CompiledOutputDigest() {
    }

    /**
     * Hex SHA-256 over the stable content of Chicory's serialized compiler output.
     *
     * @throws IllegalArgumentException if it is not readable as such
     */
    public static String of(byte[] serialized) {
        return CompilerOutput.read(serialized, Long.MAX_VALUE).sha256();
    }
}

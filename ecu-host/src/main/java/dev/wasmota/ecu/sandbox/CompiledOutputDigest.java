package dev.wasmota.ecu.sandbox;

import dev.wasmota.signing.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

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
    private static final long MAX_ENTRY_BYTES = 64L << 20;

    private CompiledOutputDigest() {
    }

    /** Hex SHA-256 over the stable content of Chicory's serialized compiler output. */
    public static String of(byte[] serialized) {
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(serialized))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                byte[] bytes = zip.readNBytes((int) MAX_ENTRY_BYTES);
                entries.put(e.getName(), e.getName().endsWith(".properties") ? withoutComments(bytes) : bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable compiler output", e);
        }
        MessageDigest md = Digests.sha256();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            md.update(longBytes(name.length));
            md.update(name);
            md.update(longBytes(e.getValue().length));
            md.update(e.getValue());
        }
        return Digests.hex(md.digest());
    }

    private static byte[] withoutComments(byte[] properties) {
        StringBuilder out = new StringBuilder();
        for (String line : new String(properties, StandardCharsets.ISO_8859_1).split("\n")) {
            if (!line.startsWith("#")) {
                out.append(line).append('\n');
            }
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] longBytes(long v) {
        return java.nio.ByteBuffer.allocate(8).putLong(v).array();
    }
}

package dev.wasmota.ecu.sandbox;

import dev.wasmota.contract.Digests;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What Chicory's compiler produced for a module, in the form its digest covers: each entry of
 * Chicory's serialized output (a jar of class files and a {@code wasm-module.properties} naming
 * the main class) by name, the properties without their comment lines (Chicory writes the current
 * date there). {@link #sha256()} is the digest the OEM countersigns ({@link CompiledOutputDigest});
 * Chicory is handed a jar of exactly these entries, so what it loads is what the digest covers,
 * whatever else a stored file held (comments, other line ends, duplicate entries).
 */
public final class CompilerOutput {
    /** Chicory's name for the entry that names the main class. */
    public static final String PROPERTIES = "wasm-module.properties";
    /** Most entries read from a serialized output. */
    public static final int MAX_ENTRIES = 100_000;

    private final Map<String, byte[]> entries;
    private final String sha256;
    /** The serialized form it was read from, or (made on demand) {@link #toJar()}. */
    private byte[] serialized;

    private CompilerOutput(Map<String, byte[]> entries, byte[] serialized) {
        this.entries = Collections.unmodifiableMap(entries);
        this.sha256 = digest(entries);
        this.serialized = serialized;
    }

    /**
     * Reads Chicory's serialized output, its entries together at most {@code maxBytes} once
     * inflated (a stored file is read with a bound; a fresh compilation's output without).
     *
     * @throws IllegalArgumentException when it is not a readable zip, has more than
     *     {@value #MAX_ENTRIES} entries, inflates past the bound or names no main class
     */
    public static CompilerOutput read(byte[] serialized, long maxBytes) {
        Map<String, byte[]> entries = new TreeMap<>();
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(serialized))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (entries.size() >= MAX_ENTRIES) {
                    throw unreadable("more than " + MAX_ENTRIES + " entries");
                }
                long left = maxBytes - total;
                byte[] bytes = zip.readNBytes(left >= Integer.MAX_VALUE - 8 ? Integer.MAX_VALUE - 8 : (int) left + 1);
                total += bytes.length;
                if (total > maxBytes) {
                    throw unreadable("inflates past " + maxBytes + " bytes");
                }
                entries.put(e.getName(), e.getName().endsWith(".properties") ? withoutComments(bytes) : bytes);
            }
        } catch (IOException e) {
            throw unreadable(e.getMessage());
        }
        if (!entries.containsKey(PROPERTIES)) {
            throw unreadable("no " + PROPERTIES);
        }
        return new CompilerOutput(entries, serialized);
    }

    /**
     * The output of a compilation held in memory: class bytes by binary class name, and the main
     * class, in the form Chicory would serialize them.
     */
    static CompilerOutput of(String mainClass, Map<String, byte[]> classes) {
        Map<String, byte[]> entries = new TreeMap<>();
        entries.put(PROPERTIES, withoutComments(properties(mainClass)));
        classes.forEach((name, bytes) -> entries.put(name.replace('.', '/') + ".class", bytes));
        return new CompilerOutput(entries, null);
    }

    /** Hex SHA-256 over the entries' names and bytes in name order (see {@link CompiledOutputDigest}). */
    public String sha256() {
        return sha256;
    }

    /** Bytes of all entries together. */
    public long size() {
        return entries.values().stream().mapToLong(b -> b.length).sum();
    }

    /**
     * The bytes to keep: those it was read from (checked only through its digest, as any kept
     * copy is at every load), or for a fresh compilation {@link #toJar()}, made once.
     */
    public synchronized byte[] serialized() {
        if (serialized == null) {
            serialized = toJar();
        }
        return serialized;
    }

    /** A jar holding exactly these entries, compressed (a fifth of their size for compiled classes). */
    public byte[] toJar() {
        return jar(true);
    }

    /** As {@link #toJar()}, uncompressed: handed to Chicory in memory, which inflates nothing then. */
    byte[] toStoredJar() {
        return jar(false);
    }

    private byte[] jar(boolean compress) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8,
                (compress ? size() / 3 : size()) + 64L * entries.size() + 1024));
        try (JarOutputStream jar = new JarOutputStream(out)) {
            jar.setLevel(Deflater.BEST_SPEED);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                JarEntry entry = new JarEntry(e.getKey());
                if (!compress) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(e.getValue().length);
                    entry.setCompressedSize(e.getValue().length);
                    entry.setCrc(crc.getValue());
                }
                jar.putNextEntry(entry);
                jar.write(e.getValue());
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The properties as Chicory's compiler writes them ({@code Properties.store}, so escaped alike). */
    private static byte[] properties(String mainClass) {
        Properties p = new Properties();
        p.put("mainClass", mainClass);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            p.store(out, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
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

    private static String digest(Map<String, byte[]> entries) {
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

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static IllegalArgumentException unreadable(String detail) {
        return new IllegalArgumentException("compiled output unreadable: " + detail);
    }
}

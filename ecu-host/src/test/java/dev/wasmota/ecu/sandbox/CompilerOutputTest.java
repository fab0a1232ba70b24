package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class CompilerOutputTest {
    private static final byte[] CLASS = "not really a class file".getBytes(StandardCharsets.UTF_8);

    @Test
    void roundTripsThroughItsJarWithTheSameDigest() {
        CompiledModule compiled = Corpus.compiled("healthy_v1", "log,clock,can.read:120,can.write:220");
        CompilerOutput out = CompilerOutput.read(compiled.serializedOutput(), 64L << 20);

        assertEquals(compiled.compiledSha256(), out.sha256());
        assertEquals(out.sha256(), CompilerOutput.read(out.toJar(), 64L << 20).sha256());
        assertEquals(out.sha256(), CompiledOutputDigest.of(out.toJar()));
    }

    @Test
    void theDigestIgnoresThePropertiesCommentsAndNothingElse() throws IOException {
        String base = digest(jar(Map.of(CompilerOutput.PROPERTIES, "#\n#Mon Dec 07\nmainClass=a.Machine\n",
                "a/Machine.class", CLASS)));

        assertEquals(base, digest(jar(Map.of(CompilerOutput.PROPERTIES, "#\n#Tue Dec 08\nmainClass=a.Machine\n",
                "a/Machine.class", CLASS))));
        byte[] changed = CLASS.clone();
        changed[3] ^= 1;
        assertNotEquals(base, digest(jar(Map.of(CompilerOutput.PROPERTIES, "mainClass=a.Machine\n",
                "a/Machine.class", changed))));
        assertNotEquals(base, digest(jar(Map.of(CompilerOutput.PROPERTIES, "mainClass=a.Other\n",
                "a/Machine.class", CLASS))));
    }

    /**
     * A comment line with a carriage return in it hides a second line from the digest's line
     * split, though {@code Properties.load} reads it: Chicory must get the digested entries only.
     */
    @Test
    void handsChicoryOnlyWhatTheDigestCovers() throws IOException {
        byte[] stored = jar(Map.of(CompilerOutput.PROPERTIES, "#\rmainClass=java.lang.Object\nmainClass=a.Machine\n",
                "a/Machine.class", CLASS));
        CompilerOutput out = CompilerOutput.read(stored, 1 << 20);

        Properties loaded = new Properties();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toJar()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(CompilerOutput.PROPERTIES)) {
                    loaded.load(zip);
                }
            }
        }
        assertEquals("a.Machine", loaded.getProperty("mainClass"));
        assertEquals(out.sha256(), digest(jar(Map.of(CompilerOutput.PROPERTIES, "mainClass=a.Machine\n",
                "a/Machine.class", CLASS))));
    }

    @Test
    void refusesOutputThatInflatesPastItsBound() throws IOException {
        byte[] bomb = jar(Map.of(CompilerOutput.PROPERTIES, "mainClass=a.Machine\n", "a/Machine.class",
                new byte[4 << 20]));

        var e = assertThrows(IllegalArgumentException.class, () -> CompilerOutput.read(bomb, 1 << 20));
        assertTrue(e.getMessage().contains("inflates past"), e.getMessage());
    }

    @Test
    void refusesBytesThatAreNotACompilerOutput() {
        assertThrows(IllegalArgumentException.class,
                () -> CompilerOutput.read("garbage".getBytes(StandardCharsets.UTF_8), 1 << 20));
    }

    private static String digest(byte[] jar) {
        return CompilerOutput.read(jar, 1 << 20).sha256();
    }

    private static byte[] jar(Map<String, Object> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, Object> e : new LinkedHashMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue() instanceof String s ? s.getBytes(StandardCharsets.ISO_8859_1) : (byte[]) e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}

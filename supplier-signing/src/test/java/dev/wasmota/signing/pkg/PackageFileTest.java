package dev.wasmota.signing.pkg;

import static dev.wasmota.signing.pkg.PackageVerifierTest.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageFileTest {
    static final byte[] MAGIC = "WOTAPKG1".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path shared;
    static ModulePackage unsigned;
    static ModulePackage signed;

    @TempDir
    Path dir;

    @BeforeAll
    static void packages() {
        Fixtures fx = new Fixtures(shared);
        unsigned = fx.unsignedHealthy("1.0.0", "healthy_v1.wasm");
        signed = fx.released();
    }

    @Test
    void roundTripsUnsignedPackage() {
        ModulePackage back = PackageFile.fromBytes(PackageFile.toBytes(unsigned));
        assertEquals(unsigned, back);
        assertTrue(back.signature().isEmpty());
    }

    @Test
    void roundTripsSignedPackage() {
        ModulePackage back = PackageFile.fromBytes(PackageFile.toBytes(signed));
        assertEquals(signed, back);
        assertArrayEquals(signed.signature().orElseThrow(), back.signature().orElseThrow());
        assertArrayEquals(signed.manifestBytes(), back.manifestBytes());
        assertArrayEquals(signed.wasmBytes(), back.wasmBytes());
    }

    @Test
    void roundTripsThroughAFile() throws IOException {
        Path file = dir.resolve("healthy" + PackageFile.EXTENSION);
        PackageFile.write(file, signed);
        assertEquals(signed, PackageFile.read(file));
        PackageFile.write(file, unsigned);
        assertEquals(unsigned, PackageFile.read(file));
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertEquals(java.util.List.of(file), files.toList(), "no temporary files left behind");
        }
    }

    @Test
    void writesTheDocumentedLayout() {
        byte[] m = {'{', '}'};
        byte[] w = {0, 'a', 's', 'm'};
        byte[] s = {0x30};
        byte[] expected = concat(MAGIC, new byte[] {3},
                new byte[] {1, 0, 0, 0, 2}, m,
                new byte[] {2, 0, 0, 0, 4}, w,
                new byte[] {3, 0, 0, 0, 1}, s);
        assertArrayEquals(expected, PackageFile.toBytes(new ModulePackage(m, w, Optional.of(s))));
        byte[] unsignedExpected = concat(MAGIC, new byte[] {2}, new byte[] {1, 0, 0, 0, 2}, m, new byte[] {2, 0, 0, 0, 4}, w);
        assertArrayEquals(unsignedExpected, PackageFile.toBytes(new ModulePackage(m, w, Optional.empty())));
    }

    @Test
    void readsWithoutParsingTheManifestOrModule() {
        ModulePackage junk = new ModulePackage(new byte[] {'x'}, new byte[] {'y'}, Optional.empty());
        assertEquals(junk, PackageFile.fromBytes(PackageFile.toBytes(junk)));
    }

    @Test
    void packageIdentityIsTheDigestOfTheFileBytes() {
        assertEquals(dev.wasmota.contract.Digests.sha256Hex(PackageFile.toBytes(signed)), signed.sha256());
        assertFalse(signed.sha256().equals(unsigned.sha256()));
    }

    @Test
    void refusesRandomBytes() {
        Random random = new Random(20260601L);
        for (int i = 0; i < 500; i++) {
            byte[] junk = new byte[random.nextInt(2048)];
            random.nextBytes(junk);
            assertMalformed(junk);
            byte[] withMagic = concat(MAGIC, new byte[] {(byte) (2 + random.nextInt(2))}, junk);
            assertMalformed(withMagic);
        }
    }

    @Test
    void refusesEveryTruncation() {
        for (ModulePackage pkg : new ModulePackage[] {unsigned, signed}) {
            byte[] bytes = PackageFile.toBytes(pkg);
            for (int len = 0; len < bytes.length; len++) {
                RejectedException e = assertMalformed(Arrays.copyOf(bytes, len));
                assertTrue(e.getMessage().contains("truncated"), len + ": " + e.getMessage());
            }
        }
    }

    @Test
    void refusesTrailingByte() {
        for (ModulePackage pkg : new ModulePackage[] {unsigned, signed}) {
            byte[] bytes = PackageFile.toBytes(pkg);
            RejectedException e = assertMalformed(Arrays.copyOf(bytes, bytes.length + 1));
            assertTrue(e.getMessage().contains("trailing"), e.getMessage());
        }
    }

    @Test
    void refusesSignedPackageRelabelledUnsigned() {
        byte[] bytes = PackageFile.toBytes(signed);
        bytes[MAGIC.length] = 2;
        assertMalformed(bytes);
    }

    @Test
    void refusesWrongMagic() {
        byte[] bytes = PackageFile.toBytes(signed);
        bytes[7] = '2';
        RejectedException e = assertMalformed(bytes);
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        byte[] lower = PackageFile.toBytes(signed);
        lower[0] = 'w';
        assertMalformed(lower);
    }

    @Test
    void refusesEntryCountsOtherThanTwoToFour() {
        for (int count : new int[] {0, 1, 5, 255}) {
            byte[] bytes = PackageFile.toBytes(signed);
            bytes[MAGIC.length] = (byte) count;
            RejectedException e = assertMalformed(bytes);
            assertTrue(e.getMessage().contains(count + " entries"), e.getMessage());
        }
    }

    @Test
    void refusesEntriesInTheWrongOrder() {
        byte[] m = unsigned.manifestBytes();
        byte[] w = unsigned.wasmBytes();
        byte[] swapped = concat(MAGIC, new byte[] {2}, entry(2, w), entry(1, m));
        RejectedException e = assertMalformed(swapped);
        assertTrue(e.getMessage().contains("found tag 2"), e.getMessage());
        byte[] sigFirst = concat(MAGIC, new byte[] {3}, entry(3, signed.signature().orElseThrow()), entry(1, m), entry(2, w));
        assertMalformed(sigFirst);
    }

    @Test
    void refusesUnknownTag() {
        byte[] m = unsigned.manifestBytes();
        byte[] w = unsigned.wasmBytes();
        assertMalformed(concat(MAGIC, new byte[] {3}, entry(1, m), entry(2, w), entry(5, new byte[] {0x30})));
        assertMalformed(concat(MAGIC, new byte[] {4}, entry(1, m), entry(2, w), entry(4, new byte[] {0x30}),
                entry(4, new byte[] {0x30})));
        assertMalformed(concat(MAGIC, new byte[] {2}, entry(0, m), entry(2, w)));
        assertMalformed(concat(MAGIC, new byte[] {2}, entry(1, m), entry(1, w)));
    }

    @Test
    void refusesZeroLengthEntries() {
        byte[] m = unsigned.manifestBytes();
        byte[] w = unsigned.wasmBytes();
        for (byte[] bytes : new byte[][] {
                concat(MAGIC, new byte[] {2}, entry(1, new byte[0]), entry(2, w)),
                concat(MAGIC, new byte[] {2}, entry(1, m), entry(2, new byte[0])),
                concat(MAGIC, new byte[] {3}, entry(1, m), entry(2, w), entry(3, new byte[0]))}) {
            RejectedException e = assertMalformed(bytes);
            assertTrue(e.getMessage().contains("claims 0 bytes"), e.getMessage());
        }
    }

    @Test
    void refusesEntriesOverTheirCaps() {
        byte[] w = unsigned.wasmBytes();
        assertMalformed(concat(MAGIC, new byte[] {2}, header(1, ManifestCodec.MAX_BYTES + 1)));
        assertMalformed(concat(MAGIC, new byte[] {2}, entry(1, new byte[] {'x'}), header(2, Manifest.MAX_WASM_LENGTH + 1)));
        assertMalformed(concat(MAGIC, new byte[] {3}, entry(1, new byte[] {'x'}), entry(2, w),
                header(3, PackageFile.MAX_SIGNATURE_BYTES + 1)));
        assertMalformed(concat(MAGIC, new byte[] {2}, header(1, 0xFFFF_FFFFL)));
    }

    @Test
    void refusesAHugeModuleClaimWithoutReadingOrAllocatingIt() throws IOException {
        byte[] header = concat(MAGIC, new byte[] {2}, entry(1, new byte[] {'{'}), header(2, 1L << 30));
        CountingZeros in = new CountingZeros(header);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        long before = threads.getCurrentThreadAllocatedBytes();
        long started = System.nanoTime();
        RejectedException e = assertRejected(PolicyFailure.MALFORMED_PACKAGE, () -> PackageFile.read(in));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(e.getMessage().contains("1073741824"), e.getMessage());
        assertTrue(in.consumed < 64, "read " + in.consumed + " bytes");
        assertTrue(allocated < 1024 * 1024, "allocated " + allocated + " bytes");
        assertTrue(millis < 1000, "took " + millis + " ms");
    }

    @Test
    void refusesFileLargerThanTheCapBeforeReadingIt() throws IOException {
        Path file = dir.resolve("huge" + PackageFile.EXTENSION);
        Files.write(file, PackageFile.toBytes(signed));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(PackageFile.MAX_FILE_BYTES + 1);
        }
        RejectedException e = assertRejected(PolicyFailure.MALFORMED_PACKAGE, () -> PackageFile.read(file));
        assertTrue(e.getMessage().contains("exceeds the " + PackageFile.MAX_FILE_BYTES), e.getMessage());
        assertEquals(ExitCode.POLICY, e.exitCode());
    }

    @Test
    void fileOfExactlyTheCapIsReadNotRefusedForItsSize() throws IOException {
        Path file = dir.resolve("cap" + PackageFile.EXTENSION);
        Files.write(file, PackageFile.toBytes(signed));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(PackageFile.MAX_FILE_BYTES);
        }
        RejectedException e = assertRejected(PolicyFailure.MALFORMED_PACKAGE, () -> PackageFile.read(file));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    @Test
    void refusesInMemoryBytesLargerThanTheCap() {
        byte[] bytes = Arrays.copyOf(PackageFile.toBytes(signed), (int) PackageFile.MAX_FILE_BYTES + 1);
        RejectedException e = assertMalformed(bytes);
        assertTrue(e.getMessage().contains("exceeds the " + PackageFile.MAX_FILE_BYTES), e.getMessage());
    }

    @Test
    void capIsHeaderPlusEveryEntryAtItsCap() {
        assertEquals(8 + 1 + 4 * 5 + ManifestCodec.MAX_BYTES + Manifest.MAX_WASM_LENGTH + PackageFile.MAX_SBOM_BYTES
                + PackageFile.MAX_SIGNATURE_BYTES, PackageFile.MAX_FILE_BYTES);
    }

    private static RejectedException assertMalformed(byte[] bytes) {
        return assertRejected(PolicyFailure.MALFORMED_PACKAGE, () -> PackageFile.fromBytes(bytes));
    }

    static byte[] entry(int tag, byte[] bytes) {
        return concat(header(tag, bytes.length), bytes);
    }

    static byte[] header(int tag, long length) {
        return ByteBuffer.allocate(5).put((byte) tag).putInt((int) length).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** {@code head}, then zeros without end; counts what is read and fails loudly past 16 MiB. */
    static final class CountingZeros extends InputStream {
        private static final long FUSE = 16L * 1024 * 1024;
        private final InputStream head;
        long consumed;

        CountingZeros(byte[] head) {
            this.head = new ByteArrayInputStream(head);
        }

        @Override
        public int read() throws IOException {
            fuse(1);
            int b = head.read();
            consumed++;
            return b < 0 ? 0 : b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            fuse(len);
            int n = head.read(b, off, len);
            if (n <= 0) {
                Arrays.fill(b, off, off + len, (byte) 0);
                n = len;
            }
            consumed += n;
            return n;
        }

        private void fuse(long more) throws IOException {
            if (consumed + more > FUSE) {
                throw new IOException("read " + consumed + " bytes and asked for " + more + " more: past any cap");
            }
        }
    }
}

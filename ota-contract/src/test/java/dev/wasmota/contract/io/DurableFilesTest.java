package dev.wasmota.contract.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.RejectedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {
    @TempDir
    Path dir;

    @Test
    void writeAtomicReplacesContentAndLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("state.json");
        DurableFiles.writeAtomic(target, bytes("old"));
        DurableFiles.writeAtomic(target, bytes("new"));

        assertEquals("new", Files.readString(target));
        assertEquals(List.of(target), list(dir));
    }

    @Test
    void writeTempLeavesTargetUntouchedUntilMoved() throws IOException {
        Path target = dir.resolve("state.json");
        DurableFiles.writeAtomic(target, bytes("old"));

        Path temp = DurableFiles.writeTemp(target, bytes("new"));
        assertEquals("old", Files.readString(target));
        assertTrue(temp.getFileName().toString().endsWith(DurableFiles.TEMP_SUFFIX));

        DurableFiles.moveIntoPlace(temp, target);
        assertEquals("new", Files.readString(target));
        assertFalse(Files.exists(temp));
    }

    @Test
    void removeTempFilesRemovesOnlyLeftoverTemps() throws IOException {
        Path target = dir.resolve("package.wotapkg");
        DurableFiles.writeAtomic(target, bytes("pkg"));
        Path leftover = DurableFiles.writeTemp(target, bytes("half"));
        Path other = Files.writeString(dir.resolve("notes.txt"), "keep");

        List<Path> removed = DurableFiles.removeTempFiles(dir);

        assertEquals(List.of(leftover), removed);
        assertEquals(List.of(other, target), list(dir));
    }

    @Test
    void readBoundedRefusesALargerFileAndReadsOneAtTheBound() throws IOException {
        Path file = Files.write(dir.resolve("f"), new byte[100]);

        RejectedException e = assertThrows(RejectedException.class, () -> DurableFiles.readBounded(file, 99));
        assertEquals(StorageFailure.FILE_TOO_LARGE, e.reason());
        assertEquals(100, DurableFiles.readBounded(file, 100).length);
    }

    @Test
    void appendDurablyAddsAtTheEnd() throws IOException {
        Path file = dir.resolve("log");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            DurableFiles.appendDurably(ch, bytes("a\n"));
            DurableFiles.appendDurably(ch, bytes("b\n"));
        }
        assertEquals("a\nb\n", Files.readString(file));
    }

    @Test
    void createDirectoriesMakesNestedDirectories() throws IOException {
        Path nested = dir.resolve("x/y/z");
        DurableFiles.createDirectories(nested);
        assertTrue(Files.isDirectory(nested));
    }

    @Test
    void lineReaderTellsTerminatedTornAndTooLongLines() throws IOException {
        byte[] input = bytes("one\ntwo\nthr");
        try (BoundedLineReader reader = new BoundedLineReader(new ByteArrayInputStream(input), 8)) {
            BoundedLineReader.Line one = reader.next();
            assertArrayEquals(bytes("one"), one.bytes());
            assertTrue(one.terminated());
            assertEquals(4, one.end());
            assertTrue(reader.next().terminated());
            BoundedLineReader.Line torn = reader.next();
            assertFalse(torn.terminated());
            assertEquals(8, torn.offset());
            assertNull(reader.next());
        }
        try (BoundedLineReader reader = new BoundedLineReader(new ByteArrayInputStream(bytes("123456789\nx\n")), 8)) {
            assertTrue(reader.next().tooLong());
            assertNull(reader.next());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Path> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }
}

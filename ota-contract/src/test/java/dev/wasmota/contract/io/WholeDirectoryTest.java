package dev.wasmota.contract.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WholeDirectoryTest {
    @TempDir
    Path dir;

    private List<Path> entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void appearsWithEverythingItWasFilledWithReadableByItsOwnerOnly() throws Exception {
        WholeDirectory.create(dir.resolve("out"), d -> {
            Files.writeString(d.resolve("a"), "1");
            Files.createDirectories(d.resolve("sub"));
            Files.writeString(d.resolve("sub/b"), "2");
        });
        assertEquals("2", Files.readString(dir.resolve("out/sub/b")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("out"))));
        assertEquals(List.of(dir.resolve("out")), entries());
    }

    @Test
    void aFillerThatFailsLeavesNothingBehind() throws Exception {
        assertThrows(IOException.class, () -> WholeDirectory.create(dir.resolve("out"), d -> {
            Files.writeString(d.resolve("a"), "1");
            throw new IOException("disk trouble");
        }));
        assertEquals(List.of(), entries());
    }

    @Test
    void refusesATargetThatHoldsAnythingAndTakesAnEmptyOne() throws Exception {
        Files.createDirectories(dir.resolve("full"));
        Files.writeString(dir.resolve("full/keep"), "mine");
        assertThrows(FileAlreadyExistsException.class, () -> WholeDirectory.create(dir.resolve("full"), d -> { }));
        assertEquals("mine", Files.readString(dir.resolve("full/keep")));
        Files.writeString(dir.resolve("file"), "x");
        assertThrows(FileAlreadyExistsException.class, () -> WholeDirectory.create(dir.resolve("file"), d -> { }));
        Files.createDirectories(dir.resolve("empty"));
        WholeDirectory.create(dir.resolve("empty"), d -> Files.writeString(d.resolve("a"), "1"));
        assertEquals("1", Files.readString(dir.resolve("empty/a")));
        assertFalse(entries().stream().anyMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary left");
    }
}

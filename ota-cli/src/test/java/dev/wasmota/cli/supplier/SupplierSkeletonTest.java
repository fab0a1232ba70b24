package dev.wasmota.cli.supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.manifest.EcuAbi;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The project skeleton {@code ota supplier new} makes, without building it (SupplierKitIT builds it). */
class SupplierSkeletonTest {
    static final Path KIT = Path.of(System.getProperty("wasmota.kit", "../supplier-kit"));

    @TempDir
    Path dir;

    @Test
    void fillsInTheModuleIdAndCopiesTheKitsHeaderAsItIs() throws IOException {
        Path project = dir.resolve("door");
        List<Path> files = SupplierSkeleton.write(KIT, SupplierSkeleton.Lang.C, "door-lock", project);

        assertEquals(List.of(".gitignore", "README.md", "build.sh", "ecu.h", "module.c", "package.args", "vectors.json"),
                files.stream().map(Path::toString).toList());
        assertEquals(Files.readString(KIT.resolve("c/ecu.h")), Files.readString(project.resolve("ecu.h")));
        assertTrue(Files.readString(project.resolve("package.args")).contains("--module door-lock\n"));
        assertTrue(Files.readString(project.resolve("module.c")).contains("\"door-lock init\""));
        assertTrue(Files.readString(project.resolve("README.md")).contains("ABI version " + EcuAbi.VERSION));
        assertNoPlaceholderLeft(project);
        assertTrue(Files.getPosixFilePermissions(project.resolve("build.sh")).contains(PosixFilePermission.OWNER_EXECUTE));
        assertTrue(Files.getPosixFilePermissions(project).contains(PosixFilePermission.OTHERS_READ));
    }

    @Test
    void givesARustProjectTheKitsCrateAndACrateNameRustAccepts() throws IOException {
        Path project = dir.resolve("wiper");
        SupplierSkeleton.write(KIT, SupplierSkeleton.Lang.RUST, "9-wiper.ctl", project);

        for (String f : List.of("Cargo.toml", "src/lib.rs", "src/abi.rs")) {
            assertEquals(Files.readString(KIT.resolve("rust/ecu").resolve(f)), Files.readString(project.resolve("ecu").resolve(f)), f);
        }
        assertTrue(Files.readString(project.resolve("Cargo.toml")).contains("name = \"m_9_wiper_ctl\""));
        assertTrue(Files.readString(project.resolve("build.sh")).contains("--crate-name m_9_wiper_ctl"));
        assertNoPlaceholderLeft(project);
    }

    @Test
    void refusesADirectoryThatHoldsAnythingAndLeavesItAlone() throws IOException {
        Path project = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(project.resolve("mine.c"), "int x;");
        assertThrows(FileAlreadyExistsException.class, () -> SupplierSkeleton.write(KIT, SupplierSkeleton.Lang.C, "m", project));
        try (Stream<Path> s = Files.list(project)) {
            assertEquals(List.of(project.resolve("mine.c")), s.toList());
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(project), s.toList(), "no temporary directory left behind");
        }
    }

    @Test
    void fillsAnEmptyDirectory() throws IOException {
        Path project = Files.createDirectories(dir.resolve("empty"));
        SupplierSkeleton.write(KIT, SupplierSkeleton.Lang.C, "m", project);
        assertTrue(Files.isRegularFile(project.resolve("module.c")));
    }

    @Test
    void refusesAKitWithoutTemplatesNamingIt() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> SupplierSkeleton.write(dir, SupplierSkeleton.Lang.RUST, "m", dir.resolve("p")));
        assertTrue(e.getFile().endsWith("templates/rust"), e.getFile());
        assertFalse(Files.exists(dir.resolve("p")));
    }

    @Test
    void readsTheLanguageInAnyCaseAndRefusesOthers() {
        assertEquals(SupplierSkeleton.Lang.RUST, SupplierSkeleton.Lang.parse("Rust"));
        assertEquals(SupplierSkeleton.Lang.C, SupplierSkeleton.Lang.parse("c"));
        assertThrows(IllegalArgumentException.class, () -> SupplierSkeleton.Lang.parse("go"));
    }

    private static void assertNoPlaceholderLeft(Path project) throws IOException {
        try (Stream<Path> s = Files.walk(project)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f).matches("(?s).*@[A-Z_]+@.*"), f + " keeps a placeholder");
            }
        }
    }
}

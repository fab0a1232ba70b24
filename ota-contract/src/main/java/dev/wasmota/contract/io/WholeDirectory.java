package dev.wasmota.contract.io;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A new directory that appears whole or not at all: it is filled under a temporary name beside
 * its target and renamed into place once every file is on disk, so a crash or a failed write
 * leaves no half-written credential or vehicle state behind (at most a hidden temporary
 * directory, {@code .NAME.RANDOM}, that a retry ignores). The directory is readable by its owner
 * only, as {@link Files#createTempDirectory} makes it on POSIX file systems.
 */
public final class WholeDirectory {
    /** What fills the directory, given its temporary location. */
    @FunctionalInterface
    public interface Filler {
        void fill(Path dir) throws IOException;
    }

    private WholeDirectory() {
    }

    /**
     * Creates {@code target}, which must be absent or an empty directory, with what {@code filler}
     * writes.
     *
     * @throws FileAlreadyExistsException if {@code target} exists and is not an empty directory
     */
    public static void create(Path target, Filler filler) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        requireAbsentOrEmpty(absolute);
        Path parent = absolute.getParent();
        DurableFiles.createDirectories(parent);
        Path staged = Files.createTempDirectory(parent, "." + absolute.getFileName() + ".");
        try {
            filler.fill(staged);
            DurableFiles.fsyncDirectory(staged);
            requireAbsentOrEmpty(absolute);
            Files.deleteIfExists(absolute);
            Files.move(staged, absolute, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.fsyncDirectory(parent);
        } catch (DirectoryNotEmptyException e) {
            deleteTree(staged);
            throw new FileAlreadyExistsException(absolute.toString(), null, "not empty");
        } catch (IOException | RuntimeException e) {
            deleteTree(staged);
            throw e;
        }
    }

    private static void requireAbsentOrEmpty(Path target) throws IOException {
        if (!Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a directory");
        }
        try (Stream<Path> entries = Files.list(target)) {
            if (entries.findAny().isPresent()) {
                throw new FileAlreadyExistsException(target.toString(), null, "not empty; refusing to overwrite it");
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // best effort: a temporary directory a retry ignores
        }
    }
}

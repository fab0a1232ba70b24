package dev.wasmota.contract.io;

import dev.wasmota.contract.error.RejectedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes that survive a crash or power loss at any point: a file is either wholly old or wholly
 * new, never partial, and once a method returns its effect is on stable storage. Temp files carry
 * the {@link #TEMP_SUFFIX} suffix so {@link #removeTempFiles(Path)} can clear leftovers on recovery.
 */
public final class DurableFiles {
    /** The suffix of every temp file this class creates. */
    public static final String TEMP_SUFFIX = ".wota-tmp";

    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    private DurableFiles() {}

    /** Replaces {@code target} with {@code data} atomically and durably. */
    public static void writeAtomic(Path target, byte[] data) throws IOException {
        Path temp = writeTemp(target, data);
        try {
            moveIntoPlace(temp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * First half of {@link #writeAtomic}: writes {@code data} to a fresh temp file beside
     * {@code target} and forces it to disk. Returns the temp file; {@code target} is untouched.
     */
    public static Path writeTemp(Path target, byte[] data) throws IOException {
        Path dir = parentOf(target);
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", TEMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            writeFully(ch, ByteBuffer.wrap(data), 0);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    /** Second half of {@link #writeAtomic}: renames {@code temp} over {@code target}, then syncs the directory. */
    public static void moveIntoPlace(Path temp, Path target) throws IOException {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(parentOf(target));
    }

    /** Deletes {@code file} if present and makes the deletion durable. Returns whether it existed. */
    public static boolean deleteDurably(Path file) throws IOException {
        boolean existed = Files.deleteIfExists(file);
        if (existed) {
            fsyncDirectory(parentOf(file));
        }
        return existed;
    }

    /** Creates {@code dir} and any missing parents, syncing each parent whose entries changed. */
    public static void createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        createDirectories(parentOf(absolute));
        Files.createDirectories(absolute);
        fsyncDirectory(parentOf(absolute));
    }

    /** Writes all of {@code data} at the end of {@code channel} and forces it to disk before returning. */
    public static void appendDurably(FileChannel channel, byte[] data) throws IOException {
        writeFully(channel, ByteBuffer.wrap(data), channel.size());
        channel.force(true);
    }

    /** Forces a directory's entries (creations, renames, deletions) to disk. A no-op on Windows. */
    public static void fsyncDirectory(Path dir) throws IOException {
        if (WINDOWS) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Removes the temp files left in {@code dir} (not its subdirectories) by an interrupted write. */
    public static List<Path> removeTempFiles(Path dir) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry) && Files.deleteIfExists(entry)) {
                    removed.add(entry);
                }
            }
        }
        if (!removed.isEmpty()) {
            fsyncDirectory(dir);
        }
        return removed;
    }

    /**
     * Reads a whole file, refusing ({@link StorageFailure#FILE_TOO_LARGE}) one longer than
     * {@code max} bytes before allocating anything for it.
     */
    public static byte[] readBounded(Path file, long max) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > max || size > Integer.MAX_VALUE - 8) {
                throw tooLarge(file, size, max);
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) {
                    break;
                }
            }
            if (buf.hasRemaining()) {
                throw new IOException(file + " shrank while it was read");
            }
            if (ch.read(ByteBuffer.allocate(1)) > 0) {
                throw tooLarge(file, ch.size(), max);
            }
            return buf.array();
        }
    }

    /**
     * Whether {@code failure} or one of its causes is a file system that takes no writes: mounted
     * read-only (EROFS), or writing not permitted (EACCES, EPERM), as the JDK reports them on Linux
     * and macOS. Use it only where the failed operation was a write, since EACCES also refuses reads.
     */
    public static boolean isWriteRefused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.nio.file.AccessDeniedException) {
                return true;
            }
            if (t instanceof IOException) {
                String text = t instanceof java.nio.file.FileSystemException f && f.getReason() != null
                        ? f.getReason() + " " + t.getMessage() : t.getMessage();
                if (text != null && (text.contains("Read-only file system") || text.contains("Operation not permitted")
                        || text.contains("Permission denied"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether {@code failure} or one of its causes is the file system running out of space
     * (ENOSPC) or quota (EDQUOT), as the JDK reports them on Linux and macOS.
     */
    public static boolean isNoSpace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                String text = t instanceof java.nio.file.FileSystemException f && f.getReason() != null
                        ? f.getReason() + " " + t.getMessage() : t.getMessage();
                if (text != null && (text.contains("No space left on device") || text.contains("Disk quota exceeded"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static RejectedException tooLarge(Path file, long size, long max) {
        return new RejectedException(
                StorageFailure.FILE_TOO_LARGE, file + " has " + size + " bytes, more than the " + max + " allowed");
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    private static Path parentOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("no parent directory: " + file);
        }
        return parent;
    }
}

package dev.wasmota.audit;

import dev.wasmota.audit.AuditCodec.MalformedRecordException;
import dev.wasmota.audit.VerifyResult.Problem;
import dev.wasmota.contract.io.BoundedLineReader;
import dev.wasmota.contract.io.BoundedLineReader.Line;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.contract.io.StorageFailure;
import dev.wasmota.contract.error.RejectedException;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The append-only, hash-chained audit log (JSON lines) of a vehicle or of the OEM. Each record
 * carries the hash of the one before, so {@link #verify} finds any edit, deletion or reordering;
 * {@link #append} returns only once the record is on stable storage, so a step is acknowledged
 * only after its record is durable. One writer per file: a second {@link #open} in this or another
 * process is refused ({@link AuditFailure#LOG_IN_USE}) until the first is closed.
 */
public final class AuditLog implements AuditTrail, Closeable {
    /** The longest line the log writes or reads, newline excluded. */
    public static final int MAX_LINE_BYTES = 64 * 1024;
    /** The prevHash of the first record. */
    public static final String GENESIS_HASH = AuditCodec.GENESIS_HASH;
    /** The actor of records the log writes about itself. */
    public static final String ACTOR = "audit-log";

    private static final Set<Path> OPEN_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final Clock clock;
    private final FileChannel channel;
    private final FileChannel lockChannel;
    private long lastSeq;
    private String headHash;
    private boolean failed;
    private boolean closed;
    private AuditRecord recovery;

    private AuditLog(Path file, Clock clock, FileChannel channel, FileChannel lockChannel, VerifyResult intact) {
        this.file = file;
        this.clock = clock;
        this.channel = channel;
        this.lockChannel = lockChannel;
        this.lastSeq = intact.records();
        this.headHash = intact.headHash();
    }

    /**
     * Opens (creating if absent) the log at {@code file}. A torn last line, left by a crash during
     * an append that was therefore never acknowledged, is cut off and a {@link AuditEvent#RECOVERY}
     * record appended saying so. Any other break in the chain is refused with
     * {@link AuditFailure#CHAIN_BROKEN} and left as found, for {@link #verify} to report.
     */
    public static AuditLog open(Path file, Clock clock) {
        return open(file, clock, 0);
    }

    /**
     * As {@link #open(Path, Clock)}, but a torn last line is a crash tail only when it is the
     * unacknowledged last append: its seq must be past {@code anchoredSeq}, the highest seq this
     * log's owner has put in a signed report (an {@link AuditAnchorFile}). Every such record was
     * whole on disk before it was reported, so a torn line at or below it was cut afterwards:
     * refused as a security event ({@link AuditFailure#ANCHORED_RECORD_TORN}), the log left as found.
     */
    public static AuditLog open(Path file, Clock clock, long anchoredSeq) {
        Objects.requireNonNull(clock, "clock");
        Path path = canonicalPath(file);
        if (!OPEN_IN_THIS_PROCESS.add(path)) {
            throw new RejectedException(AuditFailure.LOG_IN_USE, path + " is already open in this process");
        }
        FileChannel lockChannel = null;
        FileChannel channel = null;
        try {
            lockChannel = lock(path);
            boolean existed = Files.exists(path);
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            if (!existed) {
                DurableFiles.fsyncDirectory(path.getParent());
            }
            ChainScanner.Scan scan = ChainScanner.scan(path);
            VerifyResult result = scan.result();
            if (!result.ok() && result.broken().problem() != Problem.TRUNCATED) {
                throw new RejectedException(AuditFailure.CHAIN_BROKEN,
                        result.summary() + "; the log is left as found for `ota ecu log --verify`");
            }
            if (!result.ok() && result.broken().seq() <= anchoredSeq) {
                throw new RejectedException(AuditFailure.ANCHORED_RECORD_TORN, "SECURITY_EVENT: the last line of " + path
                        + " (seq " + result.broken().seq() + ") is torn, but seq " + anchoredSeq
                        + " was already reported whole in a signed status: not a crash tail, so not recovered;"
                        + " the log is left as found for `ota ecu log --verify` and `ota oem evidence verify`");
            }
            if (!result.ok()) {
                channel.truncate(scan.validBytes());
                channel.force(true);
            }
            AuditLog log = new AuditLog(path, clock, channel, lockChannel, result);
            if (!result.ok()) {
                log.recovery = log.append(tornLineRecovery(scan.tornLine()));
            }
            return log;
        } catch (IOException e) {
            closeQuietly(channel, lockChannel, path);
            throw new UncheckedIOException("cannot open audit log " + path, e);
        } catch (RuntimeException | Error e) {
            closeQuietly(channel, lockChannel, path);
            throw e;
        }
    }

    /**
     * Appends {@code record}, assigning its seq, time, prevHash and hash, and forces it to disk.
     * Returns the record as written. If writing fails, what it wrote is cut off again and the
     * failure thrown ({@link StorageFailure#STORAGE_FULL} when the disk is full); if even that cut
     * fails, the log refuses further appends ({@link AuditFailure#LOG_FAILED}) until reopened,
     * which recovers it.
     */
    @Override
    public synchronized AuditRecord append(AuditRecord record) {
        if (closed) {
            throw new IllegalStateException("audit log " + file + " is closed");
        }
        if (failed) {
            throw new RejectedException(AuditFailure.LOG_FAILED, "an earlier write to " + file + " failed; reopen the log");
        }
        long seq = lastSeq + 1;
        Instant time = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String hash = AuditCodec.hashOf(record.sealed(seq, time, headHash, null));
        AuditRecord sealed = record.sealed(seq, time, headHash, hash);
        byte[] json = AuditCodec.line(sealed);
        if (json.length > MAX_LINE_BYTES) {
            throw new RejectedException(AuditFailure.RECORD_TOO_LARGE,
                    record.event() + " record is " + json.length + " bytes, more than " + MAX_LINE_BYTES);
        }
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        long sizeBefore = -1;
        try {
            sizeBefore = channel.size();
            DurableFiles.appendDurably(channel, line);
        } catch (IOException | RuntimeException e) {
            failed = !undoPartialAppend(sizeBefore);
            if (DurableFiles.isNoSpace(e)) {
                throw new RejectedException(StorageFailure.STORAGE_FULL, "the disk is full: cannot append the "
                        + record.event() + " record to audit log " + file + "; nothing was recorded", e);
            }
            throw new UncheckedIOException("cannot append to audit log " + file,
                    e instanceof IOException io ? io : new IOException(e));
        }
        lastSeq = seq;
        headHash = hash;
        return sealed;
    }

    /**
     * Cuts what a failed append wrote (a disk that filled midway leaves part of a line), so the
     * log ends on its last whole record and later appends chain on. Returns whether that worked;
     * if not, the torn tail stays for {@link #open} to recover.
     */
    private boolean undoPartialAppend(long sizeBefore) {
        if (sizeBefore < 0) {
            return false;
        }
        try {
            if (channel.size() > sizeBefore) {
                channel.truncate(sizeBefore);
                channel.force(true);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The seq of the last record, 0 when the log is empty. */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** The hash of the last record, {@link #GENESIS_HASH} when the log is empty. */
    public synchronized String headHash() {
        return headHash;
    }

    /** The {@link AuditEvent#RECOVERY} record appended by {@link #open}, if it had to recover a torn line. */
    public synchronized Optional<AuditRecord> recoveredOnOpen() {
        return Optional.ofNullable(recovery);
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeQuietly(channel, lockChannel, file);
        }
    }

    /**
     * Checks the whole chain of the log at {@code file} without changing it. A missing file is an
     * empty log. Run while another thread or process appends, the last line may show as
     * {@link Problem#TRUNCATED}.
     */
    public static VerifyResult verify(Path file) {
        try {
            return ChainScanner.scan(file).result();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit log " + file, e);
        }
    }

    /**
     * Reads every complete record of the log at {@code file}, in file order, without checking the
     * chain; an unterminated last line is skipped. A line that is not a record is refused with
     * {@link AuditFailure#MALFORMED_RECORD}.
     */
    public static List<AuditRecord> read(Path file) {
        List<AuditRecord> records = new ArrayList<>();
        try (BoundedLineReader reader = new BoundedLineReader(Files.newInputStream(file), MAX_LINE_BYTES)) {
            Line line;
            while ((line = reader.next()) != null && line.terminated()) {
                records.add(AuditCodec.decodeLine(line.bytes()));
            }
            if (line != null && line.tooLong()) {
                throw new RejectedException(AuditFailure.MALFORMED_RECORD,
                        file + " line " + line.number() + " is longer than " + MAX_LINE_BYTES + " bytes");
            }
        } catch (MalformedRecordException e) {
            throw new RejectedException(AuditFailure.MALFORMED_RECORD,
                    file + " line " + (records.size() + 1) + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit log " + file, e);
        }
        return records;
    }

    /**
     * The record on line {@code seq} of the log at {@code file} (in an intact log, the record of
     * that seq), reading no further; empty when the file ends before it.
     */
    public static Optional<AuditRecord> recordAt(Path file, long seq) {
        if (seq < 1 || !Files.exists(file)) {
            return Optional.empty();
        }
        try (BoundedLineReader reader = new BoundedLineReader(Files.newInputStream(file), MAX_LINE_BYTES)) {
            Line line;
            while ((line = reader.next()) != null && line.terminated() && !line.tooLong()) {
                if (line.number() == seq) {
                    return Optional.of(AuditCodec.decodeLine(line.bytes()));
                }
            }
            return Optional.empty();
        } catch (MalformedRecordException e) {
            throw new RejectedException(AuditFailure.MALFORMED_RECORD, file + " line " + seq + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit log " + file, e);
        }
    }

    /** The path with its directory created and resolved through links, so one file has one key. */
    private static Path canonicalPath(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            DurableFiles.createDirectories(absolute.getParent());
            return absolute.getParent().toRealPath().resolve(absolute.getFileName());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of audit log " + absolute, e);
        }
    }

    private static FileChannel lock(Path path) throws IOException {
        Path lockFile = path.resolveSibling(path.getFileName() + ".lock");
        FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            lockChannel.close();
            throw e;
        }
        if (lock == null) {
            lockChannel.close();
            throw new RejectedException(AuditFailure.LOG_IN_USE, path + " is held by another process");
        }
        return lockChannel;
    }

    private static AuditRecord tornLineRecovery(Line torn) {
        return AuditRecord.builder(AuditEvent.RECOVERY)
                .outcome(AuditRecord.Outcome.SUCCESS)
                .cause("TORN_LOG_LINE")
                .detail("cut an unterminated last line " + torn.number() + " (" + torn.bytes().length
                        + " bytes, sha256 " + AuditCodec.sha256Hex(torn.bytes())
                        + "): an append interrupted by a crash, never acknowledged")
                .actor(ACTOR)
                .build();
    }

    private static void closeQuietly(FileChannel channel, FileChannel lockChannel, Path path) {
        for (FileChannel c : new FileChannel[] {channel, lockChannel}) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing after the data was forced; nothing is lost
                }
            }
        }
        OPEN_IN_THIS_PROCESS.remove(path);
    }
}

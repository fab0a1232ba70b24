package dev.wasmota.audit;

import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The highest head of its own audit log a party has put in a signed report, kept beside the log
 * ({@code audit.log.anchor}, one line {@code SEQ HASH}): from then on the record at that seq may
 * be held by the OEM, so the log must keep it. {@link AuditLog#open(Path, java.time.Clock, long)}
 * recovers a torn last line only past it, and a status report proves from it that the chain it
 * reports continues the one it reported before. Only ever raised; written atomically and forced.
 */
public final class AuditAnchorFile {
    private static final int MAX_BYTES = 128;

    /** A reported head: seq and the hash of the record at that seq. */
    public record Anchor(long seq, String hash) {
        public Anchor {
            if (seq < 1) {
                throw new IllegalArgumentException("an anchored seq starts at 1: " + seq);
            }
            if (hash == null || !Digests.SHA256_HEX.matcher(hash).matches()) {
                throw new IllegalArgumentException("an anchored hash is 64 lowercase hex digits");
            }
        }
    }

    private final Path file;

    private AuditAnchorFile(Path file) {
        this.file = file;
    }

    /** The anchor file of the audit log at {@code logFile}. */
    public static AuditAnchorFile of(Path logFile) {
        return new AuditAnchorFile(logFile.resolveSibling(logFile.getFileName() + ".anchor"));
    }

    public Path file() {
        return file;
    }

    /**
     * The anchor kept, or empty if none was ever written. A file that is there but does not read
     * as an anchor is refused ({@link AuditFailure#MALFORMED_RECORD}): the atomic write never
     * leaves one half-written, so it was changed by hand.
     */
    public synchronized Optional<Anchor> read() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            String text = new String(DurableFiles.readBounded(file, MAX_BYTES), StandardCharsets.US_ASCII);
            String[] parts = text.strip().split(" ");
            if (parts.length != 2 || !text.endsWith("\n")) {
                throw new IllegalArgumentException("not 'SEQ HASH'");
            }
            return Optional.of(new Anchor(Long.parseLong(parts[0]), parts[1]));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit anchor " + file, e);
        } catch (RuntimeException e) {
            throw new RejectedException(AuditFailure.MALFORMED_RECORD,
                    "the audit anchor " + file + " is damaged (" + e.getMessage() + "): the log's reported head is unknown");
        }
    }

    /** The seq kept, 0 when none. */
    public long seq() {
        return read().map(Anchor::seq).orElse(0L);
    }

    /** Keeps {@code anchor} if it is past the one kept; returns the anchor kept afterwards. */
    public synchronized Anchor raise(Anchor anchor) {
        Optional<Anchor> kept = read();
        if (kept.isPresent() && kept.get().seq() >= anchor.seq()) {
            return kept.get();
        }
        try {
            DurableFiles.writeAtomic(file, (anchor.seq() + " " + anchor.hash() + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the audit anchor " + file, e);
        }
        return anchor;
    }
}

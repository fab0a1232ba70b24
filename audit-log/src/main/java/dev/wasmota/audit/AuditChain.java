package dev.wasmota.audit;

import dev.wasmota.audit.AuditCodec.MalformedRecordException;
import dev.wasmota.audit.VerifyResult.Break;
import dev.wasmota.audit.VerifyResult.Problem;
import dev.wasmota.contract.error.RejectedException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;

/**
 * The hash chain of audit records apart from any file: seals a record onto the head of a chain and
 * checks a sequence of stored records, with the canonical form, hashing and checks of
 * {@link AuditLog}, for a party that keeps its records elsewhere (the OEM's shared database). A
 * record stored this way is byte for byte the line {@link AuditLog} would write, so both verify
 * alike and an exported trail is a valid log file.
 */
public final class AuditChain {
    private AuditChain() {
    }

    /**
     * {@code record} sealed as number {@code seq} after the record whose hash is {@code prevHash}
     * ({@link AuditLog#GENESIS_HASH} for the first), at {@code time} (kept to the millisecond, as
     * the log does).
     */
    public static AuditRecord seal(AuditRecord record, long seq, Instant time, String prevHash) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(prevHash, "prevHash");
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1: " + seq);
        }
        Instant t = time.truncatedTo(ChronoUnit.MILLIS);
        String hash = AuditCodec.hashOf(record.sealed(seq, t, prevHash, null));
        AuditRecord sealed = record.sealed(seq, t, prevHash, hash);
        if (AuditCodec.line(sealed).length > AuditLog.MAX_LINE_BYTES) {
            throw new RejectedException(AuditFailure.RECORD_TOO_LARGE,
                    record.event() + " record is longer than " + AuditLog.MAX_LINE_BYTES + " bytes");
        }
        return sealed;
    }

    /** The canonical bytes of a sealed record (UTF-8 JSON, no newline): what is stored and hashed. */
    public static byte[] encode(AuditRecord sealed) {
        if (sealed.hash() == null) {
            throw new IllegalArgumentException("record is not sealed");
        }
        return AuditCodec.line(sealed);
    }

    /** Reads one stored record, refusing anything but the canonical form ({@link AuditFailure#MALFORMED_RECORD}). */
    public static AuditRecord decode(byte[] stored) {
        try {
            return AuditCodec.decodeLine(stored);
        } catch (MalformedRecordException e) {
            throw new RejectedException(AuditFailure.MALFORMED_RECORD, e.getMessage());
        }
    }

    /**
     * Checks records in stored order: each in canonical form, matching its hash, numbered one after
     * the other from 1 and naming the hash of the one before. Stops at the first break, reported
     * with the 1-based position in {@code stored} as its line.
     */
    public static VerifyResult verify(Iterable<byte[]> stored) {
        long expectedSeq = 1;
        String prevHash = AuditCodec.GENESIS_HASH;
        long position = 0;
        for (byte[] line : stored) {
            position++;
            Break problem = check(line, position, expectedSeq, prevHash);
            if (problem != null) {
                return new VerifyResult(expectedSeq - 1, prevHash, problem);
            }
            prevHash = decode(line).hash();
            expectedSeq++;
        }
        return new VerifyResult(expectedSeq - 1, prevHash, null);
    }

    private static Break check(byte[] line, long position, long expectedSeq, String prevHash) {
        if (line.length > AuditLog.MAX_LINE_BYTES) {
            return new Break(expectedSeq, position, Problem.LINE_TOO_LONG, "longer than " + AuditLog.MAX_LINE_BYTES + " bytes");
        }
        AuditRecord record;
        try {
            record = AuditCodec.decodeLine(line);
        } catch (MalformedRecordException e) {
            return new Break(expectedSeq, position, Problem.MALFORMED, e.getMessage());
        }
        if (!Arrays.equals(AuditCodec.line(record), line)) {
            return new Break(expectedSeq, position, Problem.EDITED, "the record is not in the canonical form the trail writes");
        }
        if (!AuditCodec.hashOf(record).equals(record.hash())) {
            return new Break(expectedSeq, position, Problem.EDITED, "record seq " + record.seq() + " does not match its hash");
        }
        if (record.seq() > expectedSeq) {
            return new Break(expectedSeq, position, Problem.DELETED, "seq " + expectedSeq
                    + (record.seq() - 1 > expectedSeq ? ".." + (record.seq() - 1) : "") + " missing: next record is seq " + record.seq());
        }
        if (record.seq() < expectedSeq) {
            return new Break(expectedSeq, position, Problem.REORDERED, "found seq " + record.seq() + " after seq " + (expectedSeq - 1));
        }
        if (!record.prevHash().equals(prevHash)) {
            return new Break(expectedSeq, position, Problem.CHAIN_MISMATCH, "prevHash does not match the hash of seq "
                    + (expectedSeq - 1));
        }
        return null;
    }
}

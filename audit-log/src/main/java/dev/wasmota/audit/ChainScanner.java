package dev.wasmota.audit;

import dev.wasmota.audit.AuditCodec.MalformedRecordException;
import dev.wasmota.audit.VerifyResult.Break;
import dev.wasmota.audit.VerifyResult.Problem;
import dev.wasmota.contract.io.BoundedLineReader;
import dev.wasmota.contract.io.BoundedLineReader.Line;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Walks a log file once, checking every line against the chain, and stops at the first break. */
final class ChainScanner {

    /**
     * The scan of a file: the verdict, the byte length of the intact prefix, and the last line
     * when the only problem is that it is torn.
     */
    record Scan(VerifyResult result, long validBytes, Line tornLine) {}

    private final BoundedLineReader reader;
    private long expectedSeq = 1;
    private String prevHash = AuditCodec.GENESIS_HASH;
    private long validBytes;

    private ChainScanner(BoundedLineReader reader) {
        this.reader = reader;
    }

    static Scan scan(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new Scan(new VerifyResult(0, AuditCodec.GENESIS_HASH, null), 0, null);
        }
        try (BoundedLineReader reader = new BoundedLineReader(Files.newInputStream(file), AuditLog.MAX_LINE_BYTES)) {
            return new ChainScanner(reader).run();
        }
    }

    private Scan run() throws IOException {
        Line line;
        while ((line = reader.next()) != null) {
            if (line.tooLong()) {
                return stop(breakAt(line, Problem.LINE_TOO_LONG, "longer than " + AuditLog.MAX_LINE_BYTES + " bytes"), null);
            }
            if (!line.terminated()) {
                return stop(breakAt(line, Problem.TRUNCATED,
                        "last line has no newline (" + line.bytes().length + " bytes)"), line);
            }
            Break problem = check(line);
            if (problem != null) {
                return stop(problem, null);
            }
            validBytes = line.end();
        }
        return stop(null, null);
    }

    private Break check(Line line) throws IOException {
        AuditRecord record;
        try {
            record = AuditCodec.decodeLine(line.bytes());
        } catch (MalformedRecordException e) {
            return breakAt(line, Problem.MALFORMED, e.getMessage());
        }
        if (!Arrays.equals(AuditCodec.line(record), line.bytes())) {
            return breakAt(line, Problem.EDITED, "the line is not in the canonical form the log writes");
        }
        if (!AuditCodec.hashOf(record).equals(record.hash())) {
            return breakAt(line, Problem.EDITED, "record seq " + record.seq() + " does not match its hash");
        }
        if (record.seq() > expectedSeq) {
            return missingOrMoved(line, record.seq());
        }
        if (record.seq() < expectedSeq) {
            return breakAt(line, Problem.REORDERED, "found seq " + record.seq() + " after seq " + (expectedSeq - 1));
        }
        if (!record.prevHash().equals(prevHash)) {
            return breakAt(line, Problem.CHAIN_MISMATCH, "prevHash does not match the hash of seq " + (expectedSeq - 1));
        }
        prevHash = record.hash();
        expectedSeq++;
        return null;
    }

    private Break missingOrMoved(Line line, long found) throws IOException {
        long wanted = expectedSeq;
        Line later;
        while ((later = reader.next()) != null) {
            if (!later.tooLong() && seqOf(later) == wanted) {
                return breakAt(line, Problem.REORDERED,
                        "found seq " + found + " where seq " + wanted + " belongs; seq " + wanted + " is at line " + later.number());
            }
        }
        return breakAt(line, Problem.DELETED, "seq " + wanted + (found - 1 > wanted ? ".." + (found - 1) : "")
                + " missing: next record is seq " + found);
    }

    private static long seqOf(Line line) {
        try {
            return AuditCodec.decodeLine(line.bytes()).seq();
        } catch (MalformedRecordException e) {
            return -1;
        }
    }

    private Break breakAt(Line line, Problem problem, String detail) {
        return new Break(expectedSeq, line.number(), problem, detail);
    }

    private Scan stop(Break problem, Line torn) {
        return new Scan(new VerifyResult(expectedSeq - 1, prevHash, problem), validBytes, torn);
    }
}

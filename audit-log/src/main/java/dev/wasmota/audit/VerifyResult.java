package dev.wasmota.audit;

/**
 * What {@link AuditLog#verify} found: either an intact chain of {@code records} records ending in
 * {@code headHash}, or the first place it breaks. {@code records} and {@code headHash} then
 * describe the intact prefix before the break.
 *
 * @param records how many records chain correctly from the start
 * @param headHash the hash of the last of those (64 zeros when there are none)
 * @param broken the first break, or null when the whole file is intact
 */
public record VerifyResult(long records, String headHash, Break broken) {

    /** What is wrong with a line. */
    public enum Problem {
        /** The line is not a well-formed audit record (not JSON, a missing or mistyped field). */
        MALFORMED,
        /** The line is longer than the log ever writes. */
        LINE_TOO_LONG,
        /** The record's content no longer matches its hash, or its text is not the canonical form written. */
        EDITED,
        /** The sequence skips: the expected record is absent from the file. */
        DELETED,
        /** The expected record is elsewhere in the file, or a sequence number repeats. */
        REORDERED,
        /** The record's prevHash is not the previous record's hash: something before it was removed, inserted or rewritten. */
        CHAIN_MISMATCH,
        /** The last line has no newline: a write that never completed, or a cut file. */
        TRUNCATED
    }

    /**
     * Where the chain breaks.
     *
     * @param seq the sequence number the broken line should carry
     * @param line the 1-based line number in the file
     * @param problem what is wrong
     * @param detail a one-line explanation
     */
    public record Break(long seq, long line, Problem problem, String detail) {}

    /** Whether the whole file is an intact chain. */
    public boolean ok() {
        return broken == null;
    }

    /** One line for a person: the record count and head, or where and why the chain breaks. */
    public String summary() {
        if (ok()) {
            return "audit log ok: " + records + " records, head " + headHash;
        }
        return "audit log broken at seq " + broken.seq() + " (line " + broken.line() + "): "
                + broken.problem() + ": " + broken.detail();
    }
}

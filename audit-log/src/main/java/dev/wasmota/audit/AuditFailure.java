package dev.wasmota.audit;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why the audit log refused to open or to append. */
public enum AuditFailure implements Reason {
    /** The hash chain is broken before its last line: an edit, deletion or reordering; never repaired silently. */
    CHAIN_BROKEN(ExitCode.TRUST),
    /**
     * The log's last line is torn, but its seq was already reported whole in a signed status (an
     * anchor): a cut after the fact, not a crash during the append; a security event, never recovered.
     */
    ANCHORED_RECORD_TORN(ExitCode.TRUST),
    /** Another writer (process or {@link AuditLog} instance) holds the log. */
    LOG_IN_USE(ExitCode.USAGE),
    /** A record would exceed the longest line the log accepts. */
    RECORD_TOO_LARGE(ExitCode.INTERNAL),
    /** An earlier write failed midway; the log must be reopened (which recovers it) before more appends. */
    LOG_FAILED(ExitCode.INTERNAL),
    /** A line of the log is not a well-formed audit record. */
    MALFORMED_RECORD(ExitCode.TRUST);

    private final ExitCode exitCode;

    AuditFailure(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}

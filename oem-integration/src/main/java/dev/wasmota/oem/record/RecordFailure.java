package dev.wasmota.oem.record;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why an update record (UN R156 §7.1.2) was refused, or a campaign could not start for want of one. */
public enum RecordFailure implements Reason {
    /** The record file is not the record format: not JSON, an unknown or mistyped field, a value over its bound. */
    MALFORMED_RECORD(ExitCode.POLICY),
    /** A field the record must carry before its campaign starts is missing or does not confirm what it must. */
    INCOMPLETE_RECORD(ExitCode.POLICY),
    /** The OEM's policy requires an update record and the campaign has none. */
    NO_RECORD(ExitCode.POLICY),
    /** The campaign has started: its record is part of the evidence and no longer changes. */
    RECORD_FROZEN(ExitCode.POLICY);

    private final ExitCode exitCode;

    RecordFailure(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}

package dev.wasmota.signing.io;

import dev.wasmota.signing.error.ExitCode;
import dev.wasmota.signing.error.Reason;

/** Why a file on the host's own storage was refused before it was read into memory. */
public enum StorageFailure implements Reason {
    /** The file is larger than the caller's bound; nothing was allocated for it. */
    FILE_TOO_LARGE;

    @Override
    public ExitCode exitCode() {
        return ExitCode.POLICY;
    }
}

package dev.wasmota.contract.io;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/**
 * Why the host's own storage refused: a file too large to read, a file system too full to write,
 * or one that takes no writes at all. All are limits of the device, not bugs and not trust
 * failures (exit 4).
 */
public enum StorageFailure implements Reason {
    /** The file is larger than the caller's bound; nothing was allocated for it. */
    FILE_TOO_LARGE,
    /**
     * The file system is full (ENOSPC, or the disk quota is used up): a durable write could not
     * complete, was undone, and nothing it was part of changed.
     */
    STORAGE_FULL,
    /**
     * The file system takes no writes here: mounted read-only (EROFS), or this process may not
     * write there (EACCES, EPERM). Nothing was changed.
     */
    STORAGE_READ_ONLY;

    @Override
    public ExitCode exitCode() {
        return ExitCode.POLICY;
    }
}

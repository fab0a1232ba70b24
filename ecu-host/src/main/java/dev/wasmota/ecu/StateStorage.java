package dev.wasmota.ecu;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.contract.io.StorageFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * Failures of the file system under an ECU's state directory, as named refusals: a host that cannot
 * write its state cannot log what it does, so it neither runs nor installs anything there.
 */
public final class StateStorage {
    private StateStorage() {
    }

    /**
     * {@code failure} as {@link StorageFailure#STORAGE_READ_ONLY} (exit 4, naming the file and the
     * file system's reason) when a write under {@code stateDir} was refused; otherwise {@code failure}.
     */
    public static RuntimeException refusalIfReadOnly(Path stateDir, RuntimeException failure) {
        if (failure instanceof RejectedException || !DurableFiles.isWriteRefused(failure)) {
            return failure;
        }
        return new RejectedException(StorageFailure.STORAGE_READ_ONLY, "the ECU state in " + stateDir
                + " cannot be written (" + rootCause(failure) + "); nothing was changed", failure);
    }

    /** As {@link #refusalIfReadOnly(Path, RuntimeException)} for a write that failed with an {@link IOException}. */
    public static Exception refusalIfReadOnly(Path stateDir, IOException failure) {
        return DurableFiles.isWriteRefused(failure) ? refusalIfReadOnly(stateDir, new UncheckedIOException(failure)) : failure;
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t instanceof FileSystemException f && f.getReason() != null
                ? f.getFile() + ": " + f.getReason() : String.valueOf(t.getMessage());
    }
}

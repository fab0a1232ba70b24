package dev.wasmota.protocol.release;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/**
 * Why a chunked release transfer refused something a vehicle received: an index or chunk that
 * cannot be trusted, or a transfer that would not fit the vehicle's bounds.
 */
public enum TransferFailure implements Reason {
    /** A release index whose signature, chain or fields do not verify, or that names another package. */
    BAD_RELEASE_INDEX(ExitCode.TRUST),
    /** A chunk whose bytes do not hash to the signed index's entry, or of another release, or out of range. */
    CHUNK_MISMATCH(ExitCode.TRUST),
    /** The whole package assembled from verified chunks does not hash to the digest it was instructed as. */
    PACKAGE_MISMATCH(ExitCode.TRUST),
    /** A transfer larger than the vehicle's chunk store may hold. */
    TRANSFER_TOO_LARGE(ExitCode.POLICY);

    private final ExitCode exitCode;

    TransferFailure(ExitCode exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public ExitCode exitCode() {
        return exitCode;
    }
}

package dev.wasmota.signing.error;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/**
 * Why a trust update (the OEM root's signed revocation list) was refused for its content or its
 * place in the sequence (exit 4); a bad signature or a signer other than the root is a
 * {@link TrustFailure}.
 */
public enum TrustUpdateFailure implements Reason {
    /** The trust update file or its JSON is not well formed, or a field is out of range. */
    MALFORMED_TRUST_UPDATE,
    /** The update's sequence is not above the one already in force: a replayed or older update (a trust rollback). */
    TRUST_UPDATE_ROLLBACK;

    @Override
    public ExitCode exitCode() {
        return ExitCode.POLICY;
    }
}

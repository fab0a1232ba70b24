package dev.wasmota.signing.error;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/**
 * Why a command refused, at start, the credential it was given (a TLS key and certificate, a
 * supplier's signing key and certificate): it would fail later, or worse, work in part (exit 3).
 */
public enum CredentialFailure implements Reason {
    /** The certificate does not chain to the trust anchor the command trusts (another OEM's, or a mismatched pair). */
    CREDENTIAL_UNTRUSTED,
    /** The certificate lacks the role its use needs (the vehicle role, client or server authentication, supplier signing). */
    CREDENTIAL_ROLE_MISSING,
    /** The certificate names another party than the one the command serves as. */
    CREDENTIAL_NAME_MISMATCH,
    /** A certificate of the credential has expired. */
    CREDENTIAL_EXPIRED,
    /** A certificate of the credential is not valid yet (issued for later, or this clock is behind). */
    CREDENTIAL_NOT_YET_VALID,
    /** The certificate, or its key, is revoked by the trust update in force. */
    CREDENTIAL_REVOKED;

    @Override
    public ExitCode exitCode() {
        return ExitCode.TRUST;
    }
}

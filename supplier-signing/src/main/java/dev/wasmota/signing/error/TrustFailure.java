package dev.wasmota.signing.error;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;

/** Why a package's signatures, certificates or integrity were not accepted (exit 3). */
public enum TrustFailure implements Reason {
    /** The package carries no supplier signature at all. */
    UNSIGNED,
    /** A signature does not verify over what it claims to sign. */
    BAD_SIGNATURE,
    /** The signature verifies, but over a different manifest than the one in the package. */
    MANIFEST_MISMATCH,
    /** A signer's certificate does not chain to the trust anchors, or holds the wrong role. */
    UNTRUSTED_SIGNER,
    /** A certificate on the chain has expired at the verification time. */
    CERTIFICATE_EXPIRED,
    /** A certificate on the chain is not valid yet at the verification time. */
    CERTIFICATE_NOT_YET_VALID,
    /** A certificate on the chain, or its key, is revoked by the trust update in force (a compromised key). */
    CERTIFICATE_REVOKED,
    /** The manifest names another supplier than the signing certificate. */
    SUPPLIER_MISMATCH,
    /** The OEM countersignature is absent. */
    COUNTERSIGNATURE_MISSING,
    /** The OEM countersignature signs a different supplier signature. */
    COUNTERSIGNATURE_MISMATCH,
    /** The module binary is not as long as the manifest says. */
    LENGTH_MISMATCH,
    /** The module binary's SHA-256 differs from the manifest's. */
    DIGEST_MISMATCH;

    @Override
    public ExitCode exitCode() {
        return ExitCode.TRUST;
    }
}

package dev.wasmota.ecu;

import dev.wasmota.signing.pki.TrustUpdate;

/**
 * What {@link EcuHost#applyTrustUpdate} did: the update now in force and the sequence before it.
 *
 * @param fromSequence the sequence in force before (0 if none)
 * @param update the trust update now in force
 * @param applied false when this very update was already in force (a redelivery: nothing changed)
 */
public record TrustChange(long fromSequence, TrustUpdate update, boolean applied) {
    /** One line for people: what is revoked now. */
    public String summary() {
        return "trust update " + update.sequence() + " (issued " + update.issuedAt() + "): " + update.revokedKeys().size()
                + " key(s) and " + update.revokedCertificates().size() + " certificate(s) revoked";
    }
}

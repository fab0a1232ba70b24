package dev.wasmota.oem.trust;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.signing.pki.TrustUpdate;

/** The OEM audit records of trust updates: issued ({@code ota oem revoke}) and queued to the fleet ({@code ota oem serve}). */
public final class TrustAudit {
    private TrustAudit() {
    }

    /** A trust update was signed with the root key and written to {@code vehicle-trust/}. */
    public static AuditRecord.Builder issued(TrustUpdate u, String actor) {
        return AuditRecord.builder(AuditEvent.TRUST_UPDATED).actor(actor).outcome(Outcome.SUCCESS).cause("ISSUED")
                .detail(what(u) + " signed with the OEM root and written to vehicle-trust/");
    }

    /** A trust update was queued in the outbox to {@code vehicles} registered vehicles. */
    public static AuditRecord.Builder queued(TrustUpdate u, int vehicles, String actor) {
        return AuditRecord.builder(AuditEvent.TRUST_UPDATED).actor(actor).outcome(Outcome.SUCCESS).cause("QUEUED")
                .detail(what(u) + " queued to " + vehicles + " registered vehicle(s)");
    }

    private static String what(TrustUpdate u) {
        return "trust update " + u.sequence() + " (issued " + u.issuedAt() + ", " + u.revokedKeys().size() + " key(s) and "
                + u.revokedCertificates().size() + " certificate(s) revoked)";
    }
}

package dev.wasmota.oem.pki;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.signing.pki.CertIssuer;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.CredentialDir;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The deployment's credentials, issued from the OEM root as one {@link CredentialDir} each (key,
 * certificate, anchor), and the audit record of each issue. Every party's certificate is issued
 * directly by the root: a TLS client ({@link ClientKind}: a vehicle's with the vehicle role, an
 * OEM worker's, a supplier's) or the broker's server certificate.
 */
public final class IssuedCredentials {
    private IssuedCredentials() {
    }

    /** A TLS client credential for {@code name} of {@code kind}, with a fresh key. */
    public static CredentialDir client(OemPki pki, ClientKind kind, String name) {
        return new CredentialDir(pki.issueClient(kind, name), List.of(), pki.root().cert());
    }

    /** The broker's server credential naming {@code dnsNames} and {@code ipAddresses}, with a fresh key. */
    public static CredentialDir broker(OemPki pki, List<String> dnsNames, List<String> ipAddresses) {
        return new CredentialDir(pki.issueBroker(dnsNames, ipAddresses), List.of(), pki.root().cert());
    }

    /** The OEM audit record of {@code cert}'s issue; {@code where} says where it went. */
    public static AuditRecord.Builder audit(X509CertificateHolder cert, String where, String actor) {
        String subject = CertIssuer.commonName(cert).orElse(cert.getSubject().toString());
        return AuditRecord.builder(AuditEvent.CREDENTIAL_ISSUED).actor(actor).outcome(Outcome.SUCCESS)
                .detail(subject + " (serial " + cert.getSerialNumber().toString(16) + ", valid " + cert.getNotBefore().toInstant()
                        + " to " + cert.getNotAfter().toInstant() + ") " + where);
    }
}

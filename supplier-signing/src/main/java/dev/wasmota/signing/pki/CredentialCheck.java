package dev.wasmota.signing.pki;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.CredentialFailure;
import dev.wasmota.signing.error.PolicyFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Checks a credential when a command starts with it, so that a wrong one is refused at once with
 * its reason, instead of failing at the first connection or, worse, half working (a vehicle whose
 * certificate lacked the vehicle role installed updates while the OEM dead-lettered every status
 * report it signed). In order: the key is the certificate's; the credential's anchor is the one
 * the command trusts and the certificate chains to it; the certificate holds the role its use
 * needs and names the party the command serves as; nothing on the chain is revoked; and every
 * certificate on the chain, the anchor included, is valid at the given instant.
 */
public final class CredentialCheck {
    private final String use;
    private final List<KeyPurposeId> purposes;
    private final Optional<String> commonName;
    private final boolean serverNames;
    private final Optional<CertRole> signingRole;

    private CredentialCheck(String use, List<KeyPurposeId> purposes, Optional<String> commonName, boolean serverNames,
                            Optional<CertRole> signingRole) {
        this.use = use;
        this.purposes = List.copyOf(purposes);
        this.commonName = commonName;
        this.serverNames = serverNames;
        this.signingRole = signingRole;
    }

    /**
     * A TLS client credential of {@code kind} for {@code name}: client authentication, CN
     * {@link ClientKind#commonName}; a vehicle's also the {@link CertRole#VEHICLE} role, since its
     * key signs the status reports the OEM accepts only from that role.
     */
    public static CredentialCheck tlsClient(ClientKind kind, String name) {
        List<KeyPurposeId> purposes = kind == ClientKind.VEHICLE
                ? List.of(KeyPurposeId.id_kp_clientAuth, CertRole.VEHICLE.purpose())
                : List.of(KeyPurposeId.id_kp_clientAuth);
        return new CredentialCheck(kind.prefix() + " " + name + "'s TLS credential", purposes,
                Optional.of(kind.commonName(name)), false, Optional.empty());
    }

    /** The broker's server credential: server authentication and at least one subject alternative name. */
    public static CredentialCheck broker() {
        return new CredentialCheck("the broker's TLS credential", List.of(KeyPurposeId.id_kp_serverAuth), Optional.empty(),
                true, Optional.empty());
    }

    /** A signing credential of {@code role} (a supplier's), whose chain the package verifier will walk. */
    public static CredentialCheck signer(CertRole role) {
        return new CredentialCheck("a " + role + " signing credential", List.of(role.purpose()), Optional.empty(), false,
                Optional.of(role));
    }

    /**
     * Checks {@code credential} against {@code trust}, at {@code at}; {@code where} names it in a
     * refusal (e.g. the directory it was read from).
     *
     * @throws RejectedException with a {@link CredentialFailure}, or {@code MALFORMED_KEY_MATERIAL}
     *     for a key that is not the certificate's
     */
    public void check(CredentialDir credential, TrustStore trust, Instant at, String where) {
        X509CertificateHolder root = trust.root();
        if (!credential.anchor().equals(root)) {
            throw refuse(CredentialFailure.CREDENTIAL_UNTRUSTED, where, "its trust anchor " + CredentialDir.CA_FILE + " '"
                    + name(credential.anchor()) + "' is not the one trusted here, '" + name(root) + "'");
        }
        check(credential.credential(), credential.intermediates(), Optional.of(trust), at, where);
    }

    /**
     * Checks a credential that comes without its anchor, such as a supplier's key and chain file:
     * against {@code trust} when given, else everything but the chain's last link.
     */
    public void check(Credential credential, List<X509CertificateHolder> intermediates, Optional<TrustStore> trust,
                      Instant at, String where) {
        X509CertificateHolder leaf = credential.cert();
        if (!JdkKeys.matches(credential.key(), leaf)) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL, where + ": the private key is not the key of "
                    + "certificate '" + name(leaf) + "'");
        }
        List<X509CertificateHolder> path = path(leaf, intermediates, trust, where);
        requirePurposes(leaf, where);
        requireName(leaf, where);
        for (X509CertificateHolder c : path) {
            trust.flatMap(t -> t.revocationOf(c)).ifPresent(why -> {
                throw refuse(CredentialFailure.CREDENTIAL_REVOKED, where, "certificate '" + name(c) + "' (serial "
                        + c.getSerialNumber().toString(16) + ") is revoked: " + why);
            });
        }
        trust.ifPresent(t -> path.add(t.root()));
        for (X509CertificateHolder c : path) {
            requireValidAt(c, at, where);
        }
        if (signingRole.isPresent() && trust.isPresent()) {
            try {
                new ChainValidator(trust.get()).validate(leaf, intermediates, signingRole.get(), at);
            } catch (RejectedException e) {
                throw refuse(CredentialFailure.CREDENTIAL_UNTRUSTED, where, "the package verifier would refuse it: "
                        + e.getMessage());
            }
        }
    }

    /** The chain from the leaf up to (not including) the anchor, through the intermediates given. */
    private List<X509CertificateHolder> path(X509CertificateHolder leaf, List<X509CertificateHolder> intermediates,
                                             Optional<TrustStore> trust, String where) {
        List<X509CertificateHolder> path = new ArrayList<>();
        X509CertificateHolder current = leaf;
        path.add(leaf);
        for (int step = 0; step <= intermediates.size(); step++) {
            if (trust.isPresent() && signedBy(current, trust.get().root())) {
                return path;
            }
            Optional<X509CertificateHolder> issuer = issuerAmong(current, intermediates);
            if (issuer.isEmpty() || path.contains(issuer.get())) {
                break;
            }
            current = issuer.get();
            path.add(current);
        }
        if (trust.isEmpty()) {
            return path;
        }
        throw refuse(CredentialFailure.CREDENTIAL_UNTRUSTED, where, "certificate '" + name(leaf)
                + "' does not chain to the trust anchor '" + name(trust.get().root()) + "' (issued by '"
                + current.getIssuer() + "'): another OEM's, or not this key's chain");
    }

    private void requirePurposes(X509CertificateHolder leaf, String where) {
        ExtendedKeyUsage eku;
        try {
            eku = ExtendedKeyUsage.fromExtensions(leaf.getExtensions());
        } catch (IllegalArgumentException | IllegalStateException e) {
            eku = null;
        }
        for (KeyPurposeId p : purposes) {
            if (eku == null || !eku.hasKeyPurposeId(p)) {
                throw refuse(CredentialFailure.CREDENTIAL_ROLE_MISSING, where, "certificate '" + name(leaf) + "' lacks "
                        + describe(p) + ", which " + use + " needs" + consequence(p) + "; issue it again with ota oem issue");
            }
        }
        if (serverNames && leaf.getExtension(Extension.subjectAlternativeName) == null) {
            throw refuse(CredentialFailure.CREDENTIAL_ROLE_MISSING, where, "certificate '" + name(leaf)
                    + "' names no host (no subject alternative name): clients cannot check the broker they reach");
        }
    }

    private void requireName(X509CertificateHolder leaf, String where) {
        if (commonName.isEmpty()) {
            return;
        }
        String cn = CertIssuer.commonName(leaf).orElse("");
        if (!cn.equals(commonName.get())) {
            throw refuse(CredentialFailure.CREDENTIAL_NAME_MISMATCH, where, "certificate is for '" + cn + "', not for '"
                    + commonName.get() + "', the party this command serves as");
        }
    }

    private static void requireValidAt(X509CertificateHolder cert, Instant at, String where) {
        Date when = Date.from(at);
        if (when.before(cert.getNotBefore())) {
            throw refuse(CredentialFailure.CREDENTIAL_NOT_YET_VALID, where, "certificate '" + name(cert) + "' is valid only from "
                    + cert.getNotBefore().toInstant() + "; it is " + at + " here (is this clock behind?)");
        }
        if (when.after(cert.getNotAfter())) {
            throw refuse(CredentialFailure.CREDENTIAL_EXPIRED, where, "certificate '" + name(cert) + "' expired at "
                    + cert.getNotAfter().toInstant() + "; it is " + at + " here");
        }
    }

    private static Optional<X509CertificateHolder> issuerAmong(X509CertificateHolder cert, List<X509CertificateHolder> pool) {
        return pool.stream().filter(CredentialCheck::isCa).filter(c -> signedBy(cert, c)).findFirst();
    }

    private static boolean isCa(X509CertificateHolder cert) {
        try {
            BasicConstraints bc = BasicConstraints.fromExtensions(cert.getExtensions());
            return bc != null && bc.isCA();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return false;
        }
    }

    private static boolean signedBy(X509CertificateHolder cert, X509CertificateHolder issuer) {
        if (!cert.getIssuer().equals(issuer.getSubject())) {
            return false;
        }
        try {
            return cert.isSignatureValid(Crypto.verifier(issuer));
        } catch (CertException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String describe(KeyPurposeId purpose) {
        if (purpose.equals(KeyPurposeId.id_kp_clientAuth)) {
            return "TLS client authentication (extended key usage clientAuth)";
        }
        if (purpose.equals(KeyPurposeId.id_kp_serverAuth)) {
            return "TLS server authentication (extended key usage serverAuth)";
        }
        for (CertRole role : CertRole.values()) {
            if (role.purpose().equals(purpose)) {
                return "the " + role.name().toLowerCase(java.util.Locale.ROOT) + " role (extended key usage "
                        + purpose.getId() + ")";
            }
        }
        return "extended key usage " + purpose.getId();
    }

    private static String consequence(KeyPurposeId purpose) {
        if (purpose.equals(CertRole.VEHICLE.purpose())) {
            return " (the OEM refuses every status report signed without it, and campaigns wait for their expiry)";
        }
        if (purpose.equals(KeyPurposeId.id_kp_clientAuth) || purpose.equals(KeyPurposeId.id_kp_serverAuth)) {
            return " (the TLS handshake refuses it)";
        }
        return "";
    }

    /** The CN of {@code cert}, or its whole subject when it has none. */
    static String name(X509CertificateHolder cert) {
        return CertIssuer.commonName(cert).orElse(cert.getSubject().toString());
    }

    private static RejectedException refuse(CredentialFailure reason, String where, String detail) {
        return new RejectedException(reason, where + ": " + detail);
    }
}

package dev.wasmota.oem.owner;

import dev.wasmota.signing.pki.Credential;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.ReleaseAttributes;
import dev.wasmota.signing.pki.Crypto;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * The OEM's act of handing a module from one supplier to another, signed with the OEM release
 * key (Ed25519 over the canonical JSON {@link #statementBytes() statement}). From {@code at} on,
 * {@code to} owns the module and its releases start at {@code minSecurityVersion}, above every
 * security version countersigned for the module before, so no vehicle's anti-rollback floor lies
 * above the new owner's first release and no security version names two suppliers' code.
 *
 * @param signature base64 of the Ed25519 signature over {@link #statementBytes()}
 */
public record ModuleTransfer(String moduleId, String from, String to, long minSecurityVersion, Instant at,
        String reason, String signature) {
    public static final String FORMAT = "wasmota-module-transfer/1";
    /** Longest reason kept. */
    public static final int MAX_REASON = 200;

    public ModuleTransfer {
        requireId("moduleId", moduleId);
        requireId("from", from);
        requireId("to", to);
        if (from.equals(to)) {
            throw new IllegalArgumentException("a transfer needs two suppliers, not " + from + " twice");
        }
        if (minSecurityVersion < 0 || minSecurityVersion > Manifest.MAX_SECURITY_VERSION) {
            throw new IllegalArgumentException("minSecurityVersion outside 0..2^32-1");
        }
        Objects.requireNonNull(at, "at");
        if (!at.equals(at.truncatedTo(ChronoUnit.SECONDS))) {
            throw new IllegalArgumentException("a transfer's time is in whole seconds");
        }
        requireReason(reason);
        Objects.requireNonNull(signature, "signature");
    }

    /** Makes and signs a transfer with the OEM release credential; {@code at} is cut to whole seconds. */
    public static ModuleTransfer sign(String moduleId, String from, String to, long minSecurityVersion, Instant at,
                                      String reason, Credential release) {
        ModuleTransfer draft = new ModuleTransfer(moduleId, from, to, minSecurityVersion, at.truncatedTo(ChronoUnit.SECONDS),
                reason, "");
        ContentSigner signer = Crypto.signer(release.key());
        try (OutputStream out = signer.getOutputStream()) {
            out.write(draft.statementBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot sign the transfer: " + e.getMessage(), e);
        }
        return new ModuleTransfer(moduleId, from, to, minSecurityVersion, draft.at(), reason,
                Base64.getEncoder().encodeToString(signer.getSignature()));
    }

    /** What is signed: canonical JSON of every field but the signature. */
    public byte[] statementBytes() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        o.put("moduleId", moduleId);
        o.put("from", from);
        o.put("to", to);
        o.put("minSecurityVersion", minSecurityVersion);
        o.put("at", at.toString());
        o.put("reason", reason);
        return CanonicalJson.bytes(o);
    }

    /**
     * Checks the signature against the OEM release certificate.
     *
     * @throws RejectedException {@link OwnershipFailure#TRANSFER_UNVERIFIED} if it does not verify
     */
    public void verify(X509CertificateHolder releaseCert) {
        boolean ok;
        try {
            byte[] sig = Base64.getDecoder().decode(signature);
            ContentVerifier v = Crypto.verifier(releaseCert).get(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519));
            try (OutputStream out = v.getOutputStream()) {
                out.write(statementBytes());
            }
            ok = v.verify(sig);
        } catch (IllegalArgumentException | OperatorCreationException | IOException e) {
            ok = false;
        }
        if (!ok) {
            throw new RejectedException(OwnershipFailure.TRANSFER_UNVERIFIED, "the transfer of " + moduleId + " from "
                    + from + " to " + to + " at " + at + " does not verify with the OEM release key '"
                    + releaseCert.getSubject() + "': the owner registry was changed outside `ota oem module transfer`");
        }
    }

    /** The transfer as the countersignature states it to vehicles. */
    public ReleaseAttributes.Transfer attribute() {
        return new ReleaseAttributes.Transfer(from, to, minSecurityVersion, at);
    }

    /** Refuses a reason that is blank, too long or holds control characters. */
    static void requireReason(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON
                || reason.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a transfer's reason is 1.." + MAX_REASON
                    + " characters on one line, not blank");
        }
    }

    private static void requireId(String field, String value) {
        if (value == null || !Manifest.ID.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " '" + value + "' is not " + Manifest.ID.pattern());
        }
    }
}

package dev.wasmota.signing.pki;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustUpdateFailure;
import dev.wasmota.contract.io.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The trust anchors a vehicle (or the OEM's own intake) is provisioned with: the OEM root CA
 * certificate, read from a trust directory ({@value #ROOT_FILE}), and the revocations in force:
 * the newest {@link TrustUpdate} signed by that root ({@value #UPDATE_FILE} in the same
 * directory, optional; none means nothing is revoked). Immutable: a newer update gives a new store.
 */
public final class TrustStore {
    public static final String ROOT_FILE = "root-ca.cert.pem";
    /** The signed trust update in force, beside the root certificate in a trust directory. */
    public static final String UPDATE_FILE = "trust-update.wotatrust";

    private final X509CertificateHolder root;
    private final Optional<TrustUpdate> update;

    /** Trust in {@code root}, nothing revoked. */
    public TrustStore(X509CertificateHolder root) {
        this(root, Optional.empty());
    }

    private TrustStore(X509CertificateHolder root, Optional<TrustUpdate> update) {
        this.root = root;
        this.update = update;
    }

    /**
     * Loads the trust directory written by {@code ota oem init} ({@code DIR/vehicle-trust}): the
     * root certificate and, if present, the trust update, verified against that root.
     */
    public static TrustStore load(Path dir) throws IOException {
        Path rootFile = dir.resolve(ROOT_FILE);
        if (!Files.isRegularFile(rootFile)) {
            throw new java.nio.file.NoSuchFileException(rootFile.toString(), null, "not a trust directory");
        }
        return new TrustStore(Pem.readCertificate(rootFile)).withStoredUpdate(dir);
    }

    /** This store with the trust update stored in {@code dir} ({@value #UPDATE_FILE}), if there is one and it is newer. */
    public TrustStore withStoredUpdate(Path dir) throws IOException {
        Path file = dir.resolve(UPDATE_FILE);
        if (!Files.isRegularFile(file)) {
            return this;
        }
        TrustUpdate stored = open(DurableFiles.readBounded(file, SignedTrustUpdate.MAX_FILE_BYTES), file.toString());
        return stored.sequence() > sequence() ? new TrustStore(root, Optional.of(stored)) : this;
    }

    /**
     * This store with the signed trust update {@code file} in force. It must be signed by this
     * store's root and its sequence must be above the current one.
     *
     * @throws RejectedException a trust failure for a signature that is not the root's,
     *     {@link TrustUpdateFailure#TRUST_UPDATE_ROLLBACK} for a sequence not above {@link #sequence()}
     */
    public TrustStore withUpdate(byte[] file) {
        TrustUpdate next = SignedTrustUpdate.open(file, root);
        if (next.sequence() <= sequence()) {
            throw new RejectedException(TrustUpdateFailure.TRUST_UPDATE_ROLLBACK, "trust update " + next.sequence()
                    + " is not newer than trust update " + sequence() + " already in force");
        }
        return new TrustStore(root, Optional.of(next));
    }

    /** The root alone, without revocations: what modules installed before a revocation are re-checked against. */
    public TrustStore anchorsOnly() {
        return update.isEmpty() ? this : new TrustStore(root);
    }

    public X509CertificateHolder root() {
        return root;
    }

    /** The trust update in force, if any. */
    public Optional<TrustUpdate> update() {
        return update;
    }

    /** The sequence of the trust update in force; 0 when none. */
    public long sequence() {
        return update.map(TrustUpdate::sequence).orElse(0L);
    }

    /** Why {@code cert} is revoked, if the update in force revokes its key or the certificate itself. */
    public Optional<String> revocationOf(X509CertificateHolder cert) {
        return update.flatMap(u -> u.revocationOf(cert));
    }

    private TrustUpdate open(byte[] bytes, String where) {
        try {
            return SignedTrustUpdate.open(bytes, root);
        } catch (RejectedException e) {
            throw new RejectedException(e.reason(), where + ": " + e.getMessage(), e);
        }
    }
}

package dev.wasmota.ecu;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustUpdateFailure;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.signing.pki.SignedTrustUpdate;
import dev.wasmota.signing.pki.TrustStore;
import dev.wasmota.signing.pki.TrustUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The trust in force on one host: the provisioned root ({@link HostConfig#trust()}) with the newest
 * trust update it accepted, stored durably in {@code <state>/trust/}{@value TrustStore#UPDATE_FILE}
 * and verified against the root again whenever the host opens. The one source every verification
 * on the host reads.
 */
final class HostTrust {
    private final Path file;
    private final HostAudit audit;
    private volatile TrustStore current;

    private HostTrust(Path file, HostAudit audit, TrustStore current) {
        this.file = file;
        this.audit = audit;
        this.current = current;
    }

    /** The provisioned trust with the stored update, if any; a stored update that does not verify is a security event and stops the open. */
    static HostTrust open(HostConfig config, HostAudit audit) {
        Path dir = config.stateDir().resolve(EcuHost.TRUST_DIR);
        try {
            return new HostTrust(dir.resolve(TrustStore.UPDATE_FILE), audit, config.trust().withStoredUpdate(dir));
        } catch (RejectedException e) {
            audit.append(AuditRecord.builder(AuditEvent.SECURITY_EVENT).actor(HostAudit.ACTOR).outcome(Outcome.REFUSED)
                    .cause(e.reason().name()).detail("stored trust update refused on open: " + e.getMessage()));
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the stored trust update in " + dir, e);
        }
    }

    TrustStore current() {
        return current;
    }

    /** Verifies, stores durably, switches to, and logs {@code signed}; see {@link EcuHost#applyTrustUpdate}. */
    synchronized TrustChange apply(byte[] signed, String actor) {
        TrustStore before = current;
        TrustStore after;
        try {
            after = before.withUpdate(signed);
        } catch (RejectedException e) {
            if (isTheUpdateInForce(e, before, signed)) {
                return new TrustChange(before.sequence(), before.update().orElseThrow(), false);
            }
            audit.trustRefused(actor, e);
            throw e;
        }
        try {
            DurableFiles.createDirectories(file.getParent());
            DurableFiles.writeAtomic(file, signed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the trust update in " + file, e);
        }
        current = after;
        TrustChange change = new TrustChange(before.sequence(), after.update().orElseThrow(), true);
        TrustUpdate u = change.update();
        audit.append(AuditRecord.builder(AuditEvent.TRUST_UPDATED).actor(actor).outcome(Outcome.SUCCESS)
                .verification("root-signature", "ok").verification("sequence", before.sequence() + " -> " + u.sequence())
                .detail(change.summary() + "; " + u.addedSince(before.update()) + " new; stored in " + file.getFileName()));
        return change;
    }

    /** A redelivery of the update already in force is no rollback: it changes nothing and is not an event. */
    private static boolean isTheUpdateInForce(RejectedException e, TrustStore before, byte[] signed) {
        if (e.reason() != TrustUpdateFailure.TRUST_UPDATE_ROLLBACK || before.update().isEmpty()) {
            return false;
        }
        return Optional.of(SignedTrustUpdate.open(signed, before.root())).equals(before.update());
    }
}

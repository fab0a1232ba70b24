package dev.wasmota.cli.serve;

import dev.wasmota.protocol.tls.TlsMaterial;
import dev.wasmota.signing.pki.CredentialCheck;
import dev.wasmota.signing.pki.TrustStore;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A command's {@code --tls DIR}, read and checked before the command starts anything: a missing
 * file is a usage error naming it, a key that is not the certificate's is malformed (exit 4), and
 * a certificate of the wrong role or name, from another root, revoked, expired or not yet valid
 * is refused with its {@code CREDENTIAL_*} reason (exit 3).
 */
public final class TlsCredentials {
    private TlsCredentials() {
    }

    /**
     * The material in {@code dir}, checked by {@code check} at {@code now} against {@code trust}, or
     * against its own {@code ca.pem} when the command has no other trust anchor.
     */
    public static TlsMaterial read(Path dir, CredentialCheck check, Optional<TrustStore> trust, Instant now)
            throws NoSuchFileException {
        TlsMaterial material = RouteSettings.tls(dir).orElseThrow();
        check.check(material.credentialDir(), trust.orElseGet(() -> new TrustStore(material.trustRoot())), now, "--tls " + dir);
        return material;
    }
}

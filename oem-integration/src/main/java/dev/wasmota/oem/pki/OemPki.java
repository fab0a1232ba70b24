package dev.wasmota.oem.pki;

import dev.wasmota.signing.pki.TrustHierarchy;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.stream.Stream;

/**
 * The OEM's keys and certificates in one directory: the {@link TrustHierarchy} (root CA, supplier
 * CA, release and campaign keys) with its private keys kept as {@code NAME.key.pem} beside their
 * certificates, and {@code vehicle-trust/}, the anchors and trust updates a vehicle is provisioned
 * with.
 */
public final class OemPki extends TrustHierarchy {
    private final Path dir;

    private OemPki(Path dir, Keys keys, Clock clock, SecureRandom random) {
        super(dir.resolve(TRUST_DIR), keys, clock, random);
        this.dir = dir;
    }

    /** Creates a new OEM PKI in {@code dir}, which must be absent or empty. */
    public static OemPki create(Path dir, Clock clock, SecureRandom random) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new java.nio.file.FileAlreadyExistsException(dir.toString(), null,
                            "not empty; refusing to overwrite an OEM's keys");
                }
            }
        }
        OemPki pki = new OemPki(dir, issueKeys(clock, random), clock, random);
        pki.writeKeys(dir);
        pki.writeAnchor();
        return pki;
    }

    /** Loads the OEM PKI written by {@link #create}; certificates it issues start now (system clock). */
    public static OemPki load(Path dir) throws IOException {
        return load(dir, Clock.systemUTC(), new SecureRandom());
    }

    /** Loads the OEM PKI written by {@link #create}, issuing from {@code clock} and {@code random}. */
    public static OemPki load(Path dir, Clock clock, SecureRandom random) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new RejectedException(PolicyFailure.MALFORMED_KEY_MATERIAL, dir + " is not an OEM directory (run ota oem init)");
        }
        return new OemPki(dir, readKeys(dir), clock, random);
    }

    /** {@code DIR}: the OEM directory these keys were loaded from or written to. */
    public Path directory() {
        return dir;
    }
}

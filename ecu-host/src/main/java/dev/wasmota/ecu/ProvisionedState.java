package dev.wasmota.ecu;

import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.signing.pki.CredentialDir;
import dev.wasmota.signing.pki.Pem;
import dev.wasmota.signing.pki.SignedTrustUpdate;
import dev.wasmota.signing.pki.TrustStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What an empty vehicle's state directory holds before its first start, so that
 * {@code ota ecu serve --state DIR} can start it with nothing else: who it is
 * ({@value HostIdentity#FILE}), the trust anchors it verifies every package, instruction and trust
 * update against ({@value EcuHost#TRUST_DIR}/: the OEM root and the trust update in force), and its
 * credential ({@value #CREDENTIAL_DIR}/, a {@link CredentialDir}: the key that signs its status
 * reports and authenticates it to the broker). The OEM's provisioning writes it; the ECU reads it.
 */
public final class ProvisionedState {
    /** The vehicle's credential directory inside its state directory. */
    public static final String CREDENTIAL_DIR = "credential";

    private ProvisionedState() {
    }

    /** {@code state}/{@value EcuHost#TRUST_DIR}: the provisioned trust anchors. */
    public static Path trustDir(Path state) {
        return state.resolve(EcuHost.TRUST_DIR);
    }

    /** {@code state}/{@value #CREDENTIAL_DIR}: the provisioned credential. */
    public static Path credentialDir(Path state) {
        return state.resolve(CREDENTIAL_DIR);
    }

    /** Whether {@code state} holds a provisioned credential. */
    public static boolean hasCredential(Path state) {
        return Files.isDirectory(credentialDir(state));
    }

    /**
     * Writes a provisioned state into the fresh directory {@code state}: {@code identity}, the trust
     * anchors read from the trust directory {@code trust} (its root and, when there is one, its trust
     * update, checked against the root before anything is written), and {@code credential}.
     */
    public static void write(Path state, HostIdentity identity, Path trust, CredentialDir credential) throws IOException {
        TrustStore anchors = TrustStore.load(trust);
        HostIdentity.provision(state, Optional.of(identity));
        Path trustDir = trustDir(state);
        DurableFiles.createDirectories(trustDir);
        DurableFiles.writeAtomic(trustDir.resolve(TrustStore.ROOT_FILE),
                DurableFiles.readBounded(trust.resolve(TrustStore.ROOT_FILE), Pem.MAX_BYTES));
        if (anchors.update().isPresent()) {
            DurableFiles.writeAtomic(trustDir.resolve(TrustStore.UPDATE_FILE),
                    DurableFiles.readBounded(trust.resolve(TrustStore.UPDATE_FILE), SignedTrustUpdate.MAX_FILE_BYTES));
        }
        credential.replace(credentialDir(state));
    }
}

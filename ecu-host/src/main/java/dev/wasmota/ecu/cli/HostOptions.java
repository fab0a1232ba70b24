package dev.wasmota.ecu.cli;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.ecu.UpdateFailure;
import dev.wasmota.signing.io.DurableFiles;
import dev.wasmota.signing.cli.CliEnv;
import dev.wasmota.signing.error.RejectedException;
import dev.wasmota.signing.pki.Pem;
import dev.wasmota.signing.pki.SignedTrustUpdate;
import dev.wasmota.signing.pki.TrustStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Options every {@code ota ecu} command that opens the host shares, and the provisioning rule:
 * the first {@code --trust} and {@code --hardware-id} given are copied into the state directory;
 * later ones must match. A trust update in a {@code --trust} directory newer than the host's is
 * applied (verified, stored, logged) as {@code ota ecu trust} would.
 */
public final class HostOptions {
    static final String TRUST_DIR = EcuHost.TRUST_DIR;

    @Option(names = "--state", required = true, paramLabel = "DIR", description = "the ECU's state: slots, audit log, identity")
    Path state;

    @Option(names = "--hardware-id", paramLabel = "ID",
            description = "this ECU's hardware id (provisioned into DIR on first use; default: as provisioned)")
    String hardwareId;

    @Option(names = "--vehicle-id", paramLabel = "ID", description = "this vehicle's id (default: vehicle-1 on first use)")
    String vehicleId;

    /** Opens the host, provisioning trust and identity on first use. */
    EcuHost open(Optional<Path> trustDir, CliEnv env, PrintStream events) throws IOException {
        Optional<TrustStore> given = provisionTrust(trustDir);
        TrustStore trust = new TrustStore(Pem.readCertificate(state.resolve(TRUST_DIR).resolve(TrustStore.ROOT_FILE)));
        Optional<HostIdentity> wanted = hardwareId == null ? Optional.empty()
                : Optional.of(new HostIdentity(hardwareId, vehicleId != null ? vehicleId : "vehicle-1"));
        Optional<HostIdentity> identity = HostIdentity.provision(state, wanted);
        HostConfig.Builder b = HostConfig.builder(state, trust).clock(env.clock());
        identity.ifPresent(b::identity);
        EcuHost host = EcuHost.open(b.build(), events);
        try {
            if (given.isPresent() && given.get().sequence() > host.trust().sequence()) {
                byte[] update = DurableFiles.readBounded(trustDir.orElseThrow().resolve(TrustStore.UPDATE_FILE),
                        SignedTrustUpdate.MAX_FILE_BYTES);
                events.println("trust: " + host.applyTrustUpdate(update, "cli").summary() + ", from " + trustDir.get());
            }
        } catch (RuntimeException | IOException e) {
            host.close();
            throw e;
        }
        return host;
    }

    /** Checks {@code --trust} against (or provisions it as) the stored anchors; returns what it holds. */
    private Optional<TrustStore> provisionTrust(Optional<Path> given) throws IOException {
        Path stored = state.resolve(TRUST_DIR).resolve(TrustStore.ROOT_FILE);
        if (given.isEmpty()) {
            if (!Files.exists(stored)) {
                throw new NoSuchFileException(stored.toString(), null, "no trust anchors provisioned; install once with --trust");
            }
            return Optional.empty();
        }
        TrustStore trust = TrustStore.load(given.get());
        byte[] encoded = Pem.encode(trust.root()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (Files.exists(stored)) {
            if (!Arrays.equals(Pem.readCertificate(stored).getEncoded(), trust.root().getEncoded())) {
                throw new RejectedException(UpdateFailure.TRUST_ANCHOR_MISMATCH, given.get()
                        + " holds other trust anchors than this ECU was provisioned with");
            }
        } else {
            DurableFiles.createDirectories(stored.getParent());
            DurableFiles.writeAtomic(stored, encoded);
        }
        return Optional.of(trust);
    }
}

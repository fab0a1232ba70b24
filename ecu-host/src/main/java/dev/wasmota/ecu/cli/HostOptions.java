package dev.wasmota.ecu.cli;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.ecu.UpdateFailure;
import dev.wasmota.signing.io.DurableFiles;
import dev.wasmota.signing.cli.CliEnv;
import dev.wasmota.signing.error.RejectedException;
import dev.wasmota.signing.pki.Pem;
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
 * later ones must match.
 */
public final class HostOptions {
    static final String TRUST_DIR = "trust";

    @Option(names = "--state", required = true, paramLabel = "DIR", description = "the ECU's state: slots, audit log, identity")
    Path state;

    @Option(names = "--hardware-id", paramLabel = "ID",
            description = "this ECU's hardware id (provisioned into DIR on first use; default: as provisioned)")
    String hardwareId;

    @Option(names = "--vehicle-id", paramLabel = "ID", description = "this vehicle's id (default: vehicle-1 on first use)")
    String vehicleId;

    /** Opens the host, provisioning trust and identity on first use. */
    EcuHost open(Optional<Path> trustDir, CliEnv env, PrintStream events) throws IOException {
        TrustStore trust = provisionTrust(trustDir);
        Optional<HostIdentity> wanted = hardwareId == null ? Optional.empty()
                : Optional.of(new HostIdentity(hardwareId, vehicleId != null ? vehicleId : "vehicle-1"));
        Optional<HostIdentity> identity = HostIdentity.provision(state, wanted);
        HostConfig.Builder b = HostConfig.builder(state, trust).clock(env.clock());
        identity.ifPresent(b::identity);
        return EcuHost.open(b.build(), events);
    }

    private TrustStore provisionTrust(Optional<Path> given) throws IOException {
        Path stored = state.resolve(TRUST_DIR).resolve(TrustStore.ROOT_FILE);
        if (given.isEmpty()) {
            if (!Files.exists(stored)) {
                throw new NoSuchFileException(stored.toString(), null, "no trust anchors provisioned; install once with --trust");
            }
            return TrustStore.load(stored.getParent());
        }
        TrustStore trust = TrustStore.load(given.get());
        byte[] encoded = Pem.encode(trust.root()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (Files.exists(stored)) {
            if (!Arrays.equals(TrustStore.load(stored.getParent()).root().getEncoded(), trust.root().getEncoded())) {
                throw new RejectedException(UpdateFailure.TRUST_ANCHOR_MISMATCH, given.get()
                        + " holds other trust anchors than this ECU was provisioned with");
            }
        } else {
            DurableFiles.createDirectories(stored.getParent());
            DurableFiles.writeAtomic(stored, encoded);
        }
        return trust;
    }
}

package dev.wasmota.cli.ecu;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.ecu.StateStorage;
import dev.wasmota.ecu.UpdateFailure;
import dev.wasmota.ecu.sandbox.AsyncLogSink;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.ecu.sandbox.Realtime;
import dev.wasmota.ecu.sandbox.LogSink;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.contract.error.RejectedException;
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
import org.bouncycastle.cert.X509CertificateHolder;
import picocli.CommandLine.Option;

/**
 * Options every {@code ota ecu} command that opens the host shares, and the provisioning rule:
 * the first {@code --trust} and {@code --hardware-id} given to {@code ota ecu install} are copied
 * into the state directory; later ones must match. A vehicle provisioned whole by the OEM
 * ({@code ota oem vehicle provision}) has both already. A trust update in a {@code --trust} directory newer than the host's is
 * applied (verified, stored, logged) as {@code ota ecu trust} would.
 *
 * <p>What the state directory's file system does, and what the caller typed, map to CONTRACT's
 * codes so: a state directory or {@code --trust} directory that does not exist is a usage error
 * (2: the caller named the wrong place); a state directory that takes no writes is
 * {@code STORAGE_READ_ONLY} (4, like a full disk: a limit of the device); a provisioned ECU whose
 * trust anchors are missing or unreadable is {@code TRUST_ANCHORS_MISSING} (3: it can verify nothing).
 */
public final class HostOptions {
    static final String TRUST_DIR = EcuHost.TRUST_DIR;

    @Option(names = "--state", required = true, paramLabel = "DIR", description = "the ECU's state: slots, audit log, identity")
    Path state;

    /**
     * {@code ota ecu install}'s identity options: the only command that provisions an identity on
     * first use (the others open what is provisioned; {@code ota oem vehicle provision} writes a
     * whole vehicle state).
     */
    static final class Identity {
        @Option(names = "--hardware-id", paramLabel = "ID",
                description = "this ECU's hardware id (provisioned into DIR on first use; default: as provisioned)")
        String hardwareId;

        @Option(names = "--vehicle-id", paramLabel = "ID",
                description = "this vehicle's id, provisioned with --hardware-id on first use (default: vehicle-1)")
        String vehicleId;

        Optional<HostIdentity> wanted() {
            return hardwareId == null ? Optional.empty()
                    : Optional.of(new HostIdentity(hardwareId, vehicleId != null ? vehicleId : "vehicle-1"));
        }
    }

    /** The running modules' scheduling; {@code ecu run --realtime} sets it. */
    Realtime realtime = Realtime.OFF;

    /** An open host and the sink that prints its modules' log lines; closing it closes both. */
    record Session(EcuHost ecu, AsyncLogSink moduleLog) implements AutoCloseable {
        /** Prints the module lines still queued (the host is stopped), so they come before what follows. */
        void flushModuleLog() {
            moduleLog.close();
        }

        @Override
        public void close() {
            try {
                ecu.close();
            } finally {
                moduleLog.close();
            }
        }
    }

    /** Opens the host as provisioned; module log lines go to {@code events} as {@code [module] line}. */
    Session open(Optional<Path> trustDir, CliEnv env, PrintStream events) throws Exception {
        return open(trustDir, Optional.empty(), env, events);
    }

    /** Opens the host, provisioning trust and {@code wanted} identity on first use; module log lines go to {@code events}. */
    Session open(Optional<Path> trustDir, Optional<HostIdentity> wanted, CliEnv env, PrintStream events) throws Exception {
        Optional<TrustStore> given = provisionTrust(trustDir);
        TrustStore trust = new TrustStore(provisionedRoot());
        Optional<HostIdentity> identity;
        try {
            identity = HostIdentity.provision(state, wanted);
        } catch (IOException e) {
            throw StateStorage.refusalIfReadOnly(state, e);
        }
        AsyncLogSink moduleLog = LogSink.printTo(events);
        HostConfig.Builder b = HostConfig.builder(state, trust).clock(env.clock())
                .environment(HostEnvironment.simulated().withLog(moduleLog)).realtime(realtime);
        identity.ifPresent(b::identity);
        EcuHost host;
        try {
            host = EcuHost.open(b.build(), events);
        } catch (RuntimeException e) {
            moduleLog.close();
            throw e;
        }
        try {
            if (given.isPresent() && given.get().sequence() > host.trust().sequence()) {
                byte[] update = DurableFiles.readBounded(trustDir.orElseThrow().resolve(TrustStore.UPDATE_FILE),
                        SignedTrustUpdate.MAX_FILE_BYTES);
                events.println("trust: " + host.applyTrustUpdate(update, "cli").summary() + ", from " + trustDir.get());
            }
        } catch (RuntimeException | IOException e) {
            new Session(host, moduleLog).close();
            throw e;
        }
        return new Session(host, moduleLog);
    }

    /** Checks {@code --trust} against (or provisions it as) the stored anchors; returns what it holds. */
    private Optional<TrustStore> provisionTrust(Optional<Path> given) throws Exception {
        Path stored = state.resolve(TRUST_DIR).resolve(TrustStore.ROOT_FILE);
        if (given.isEmpty()) {
            if (!Files.exists(stored)) {
                throw notProvisioned(stored);
            }
            return Optional.empty();
        }
        if (!Files.isDirectory(given.get())) {
            throw new NoSuchFileException(given.get().toString(), null, "--trust: no such trust directory");
        }
        TrustStore trust = TrustStore.load(given.get());
        byte[] encoded = Pem.encode(trust.root()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (Files.exists(stored)) {
            if (!Arrays.equals(provisionedRoot().getEncoded(), trust.root().getEncoded())) {
                throw new RejectedException(UpdateFailure.TRUST_ANCHOR_MISMATCH, given.get()
                        + " holds other trust anchors than this ECU was provisioned with");
            }
        } else {
            try {
                DurableFiles.createDirectories(stored.getParent());
                DurableFiles.writeAtomic(stored, encoded);
            } catch (IOException e) {
                throw StateStorage.refusalIfReadOnly(state, e);
            }
        }
        return Optional.of(trust);
    }

    /**
     * Why there are no stored anchors: a state directory that does not exist or holds nothing is
     * the caller's mistake (usage); one that holds an ECU's state lost its anchors (exit 3).
     */
    private Exception notProvisioned(Path stored) {
        if (!Files.isDirectory(state)) {
            return new NoSuchFileException(state.toString(), null, "no ECU state here; provision one with ota oem vehicle "
                    + "provision --out DIR, or install once with ota ecu install --trust DIR --hardware-id ID");
        }
        boolean provisioned = Files.exists(state.resolve(EcuHost.AUDIT_FILE)) || Files.exists(state.resolve(HostIdentity.FILE))
                || Files.exists(state.resolve("slots"));
        if (!provisioned) {
            return new NoSuchFileException(stored.toString(), null, "no trust anchors provisioned; provision the ECU with ota "
                    + "oem vehicle provision, or install once with --trust");
        }
        return new RejectedException(UpdateFailure.TRUST_ANCHORS_MISSING, "this ECU's provisioned trust anchors "
                + stored + " are missing: it can verify nothing, so it installs and starts nothing until they are"
                + " provisioned again");
    }

    /** The provisioned root certificate; refused as {@code TRUST_ANCHORS_MISSING} when it cannot be read. */
    private X509CertificateHolder provisionedRoot() {
        Path stored = state.resolve(TRUST_DIR).resolve(TrustStore.ROOT_FILE);
        try {
            return Pem.readCertificate(stored);
        } catch (IOException | RuntimeException e) {
            throw new RejectedException(UpdateFailure.TRUST_ANCHORS_MISSING, "this ECU's provisioned trust anchors "
                    + stored + " are unreadable (" + e.getMessage() + "): it can verify nothing", e);
        }
    }
}

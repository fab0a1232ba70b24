package dev.wasmota.oem.trust;

import dev.wasmota.audit.AuditLog;
import dev.wasmota.oem.campaign.FileOutbox;
import dev.wasmota.oem.campaign.Vehicle;
import dev.wasmota.oem.campaign.VehicleRegistry;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.signing.pki.SignedTrustUpdate;
import dev.wasmota.signing.pki.TrustUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sends the OEM's trust update (the one {@code ota oem revoke} wrote to {@code vehicle-trust/})
 * to every registered vehicle once: a file per vehicle in the durable {@link FileOutbox}, from
 * where the outbox dispatcher publishes it at least once, then a marker ({@value #MARKER} in the
 * outbox) recording the sequence queued. A crash before the marker queues it again on the next
 * call; vehicles take a repeat of the update in force as a no-op. Vehicles registered later are
 * provisioned from {@code vehicle-trust/}, which holds it already.
 */
public final class TrustDistribution {
    /** The outbox file recording the highest trust update sequence queued to the fleet. */
    public static final String MARKER = "trust-queued";

    private final OemPki pki;
    private final FileOutbox outbox;
    private final VehicleRegistry vehicles;
    private final Optional<AuditLog> audit;
    private final String actor;

    public TrustDistribution(OemPki pki, FileOutbox outbox, VehicleRegistry vehicles, Optional<AuditLog> audit, String actor) {
        this.pki = pki;
        this.outbox = outbox;
        this.vehicles = vehicles;
        this.audit = audit;
        this.actor = actor;
    }

    /**
     * Queues the current trust update to every registered vehicle if it is newer than the last one
     * queued; returns the outbox files written (none when there is nothing new).
     */
    public synchronized List<Path> queueIfNew() {
        Path file = pki.trustUpdateFile();
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        byte[] signed = read(file);
        TrustUpdate u = SignedTrustUpdate.open(signed, pki.root().cert());
        if (u.sequence() <= queued()) {
            return List.of();
        }
        List<Path> written = new ArrayList<>();
        List<Vehicle> fleet = vehicles.list();
        for (Vehicle v : fleet) {
            written.add(outbox.deliverTrustUpdate(v.id(), u.sequence(), signed));
        }
        audit.ifPresent(log -> log.append(TrustAudit.queued(u, fleet.size(), actor).build()));
        markQueued(u.sequence());
        return written;
    }

    /** The highest sequence queued so far; 0 if none. */
    public long queued() {
        Path marker = outbox.directory().resolve(MARKER);
        try {
            if (!Files.exists(marker)) {
                return 0;
            }
            return Long.parseLong(new String(DurableFiles.readBounded(marker, 32), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the trust update marker " + marker + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return DurableFiles.readBounded(file, SignedTrustUpdate.MAX_FILE_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void markQueued(long sequence) {
        try {
            DurableFiles.createDirectories(outbox.directory());
            DurableFiles.writeAtomic(outbox.directory().resolve(MARKER),
                    Long.toString(sequence).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record trust update " + sequence + " as queued", e);
        }
    }
}

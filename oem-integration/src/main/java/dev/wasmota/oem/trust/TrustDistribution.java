package dev.wasmota.oem.trust;

import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.oem.audit.OemAuditTrail;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.OutboxQueue;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.signing.pki.SignedTrustUpdate;
import dev.wasmota.signing.pki.TrustUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The OEM's trust updates (revocations) shared through the OEM database, and sent to the fleet.
 * {@code ota oem revoke} writes the root-signed update into one OEM directory's
 * {@code vehicle-trust/}; {@link #sync} records it in the database, and writes a newer one from the
 * database into this directory's {@code vehicle-trust/} (checked against the root first), so every
 * worker's intake refuses a revoked key whichever directory it was revoked in.
 * {@link #queueIfNew} queues the newest update once to every registered vehicle, in the same
 * transaction that records it as queued and audits it, through the database outbox. Vehicles
 * registered later are provisioned from {@code vehicle-trust/}, which holds it already.
 */
public final class TrustDistribution {
    private final OemPki pki;
    private final CampaignDatabase db;
    private final OemAuditTrail trail;
    private final String actor;
    private final Clock clock;

    public TrustDistribution(OemPki pki, CampaignDatabase db, OemAuditTrail trail, String actor, Clock clock) {
        this.pki = pki;
        this.db = db;
        this.trail = trail;
        this.actor = actor;
        this.clock = clock;
    }

    /** A signed trust update with its sequence. */
    private record Stored(long sequence, byte[] file) {
    }

    /**
     * Makes this directory and the database agree on the newest trust update: records a newer one
     * from {@code vehicle-trust/} in the database, writes a newer one from the database into
     * {@code vehicle-trust/}. Returns the sequence now in force (0: none).
     */
    public synchronized long sync() {
        Optional<Stored> local = local();
        Optional<Stored> shared = db.transaction(TrustDistribution::newest);
        long localSeq = local.map(Stored::sequence).orElse(0L);
        long sharedSeq = shared.map(Stored::sequence).orElse(0L);
        if (localSeq > sharedSeq) {
            record(local.get());
        } else if (sharedSeq > localSeq) {
            writeLocal(shared.get());
        }
        return Math.max(localSeq, sharedSeq);
    }

    /**
     * Queues the newest trust update to every registered vehicle if it was not queued yet; returns
     * how many vehicles it was queued to (0 when there is nothing new).
     */
    public synchronized int queueIfNew() {
        sync();
        Instant now = clock.instant();
        return db.transaction(c -> {
            Optional<Stored> newest = newest(c);
            if (newest.isEmpty() || !lockUnqueued(c, newest.get().sequence())) {
                return 0;
            }
            TrustUpdate u = SignedTrustUpdate.open(newest.get().file(), pki.root().cert());
            List<String> fleet = vehicles(c);
            for (String vehicle : fleet) {
                OutboxQueue.addTrustUpdate(c, vehicle, u.sequence(), newest.get().file(), now);
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE trust_update SET queued_at = ? WHERE queued_at IS NULL")) {
                p.setObject(1, CampaignDatabase.time(now));
                p.executeUpdate();
            }
            trail.append(c, TrustAudit.queued(u, fleet.size(), actor).build());
            return fleet.size();
        });
    }

    /** The highest sequence queued to the fleet so far; 0 if none. */
    public long queued() {
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT MAX(seq) FROM trust_update WHERE queued_at IS NOT NULL");
                 ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private Optional<Stored> local() {
        Path file = pki.trustUpdateFile();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        byte[] signed;
        try {
            signed = DurableFiles.readBounded(file, SignedTrustUpdate.MAX_FILE_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return Optional.of(new Stored(SignedTrustUpdate.open(signed, pki.root().cert()).sequence(), signed));
    }

    private void record(Stored update) {
        Instant now = clock.instant();
        try {
            db.transaction(c -> {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO trust_update (seq, update_file, recorded_at)"
                        + " VALUES (?, ?, ?)")) {
                    p.setLong(1, update.sequence());
                    p.setBytes(2, update.file());
                    p.setObject(3, CampaignDatabase.time(now));
                    return p.executeUpdate();
                }
            });
        } catch (IllegalStateException e) {
            if (!(e.getCause() instanceof SQLException s && CampaignDatabase.isDuplicateKey(s))) {
                throw e;
            }
        }
    }

    /** Writes {@code update} (verified against the root) into {@code vehicle-trust/}, under the lock revocations take. */
    private void writeLocal(Stored update) {
        SignedTrustUpdate.open(update.file(), pki.root().cert());
        Path dir = pki.trustDir();
        try (FileChannel lock = FileChannel.open(dir.resolveSibling(dir.getFileName() + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = lock.lock()) {
            if (pki.trustStore().sequence() < update.sequence()) {
                DurableFiles.writeAtomic(pki.trustUpdateFile(), update.file());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trust update " + update.sequence() + " into " + dir, e);
        }
    }

    private static Optional<Stored> newest(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT seq, update_file FROM trust_update ORDER BY seq DESC"
                + " FETCH FIRST 1 ROWS ONLY"); ResultSet rs = p.executeQuery()) {
            return rs.next() ? Optional.of(new Stored(rs.getLong(1), rs.getBytes(2))) : Optional.empty();
        }
    }

    /** Locks update {@code sequence}'s row; true if it is not queued yet. */
    private static boolean lockUnqueued(Connection c, long sequence) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT queued_at FROM trust_update WHERE seq = ? FOR UPDATE")) {
            p.setLong(1, sequence);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && rs.getObject(1) == null;
            }
        }
    }

    private static List<String> vehicles(Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM vehicle ORDER BY id"); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}

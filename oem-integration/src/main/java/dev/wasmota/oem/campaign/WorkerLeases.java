package dev.wasmota.oem.campaign;

import dev.wasmota.contract.error.RejectedException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The serving workers and their leases, in the OEM database. A worker holds a lease while it runs
 * and renews it well before it ends; the outbox messages it claimed are its own only while the
 * lease is live ({@link OutboxQueue}), so a worker that dies (killed, hung, cut off from the
 * database) has its claims taken over by the others once its lease has run out, without an
 * operator. One process at a time serves under a name: another start under a name whose lease is
 * live is refused, unless the lease is this machine's and its process is gone (a restart after a
 * crash). Leases are on the workers' clocks, which must agree to well within a lease (NTP).
 */
public final class WorkerLeases {
    /** How long a lease lasts unless renewed (setting {@code ota.oem.leaseSeconds}). */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    /** A worker as the table records it. */
    public record Worker(String name, String host, long pid, Instant startedAt, Instant leaseUntil) {
        /** Whether its lease is live at {@code now}. */
        public boolean live(Instant now) {
            return !leaseUntil.isBefore(now);
        }
    }

    private final CampaignDatabase db;
    private final Clock clock;
    private final String host;
    private final long pid;

    public WorkerLeases(CampaignDatabase db, Clock clock) {
        this(db, clock, localHost(), ProcessHandle.current().pid());
    }

    /** Leases held as process {@code pid} of {@code host}. */
    WorkerLeases(CampaignDatabase db, Clock clock, String host, long pid) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.host = host;
        this.pid = pid;
    }

    /**
     * Takes the lease of {@code worker} for this process, for {@code lease} from now.
     *
     * @throws RejectedException {@link CampaignFailure#WORKER_ACTIVE} if another live process holds it
     */
    public Worker acquire(String worker, Duration lease) {
        Instant now = clock.instant();
        try {
            return db.transaction(c -> acquire(c, worker, lease, now));
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException s && CampaignDatabase.isDuplicateKey(s)) {
                return db.transaction(c -> acquire(c, worker, lease, now));
            }
            throw e;
        }
    }

    private Worker acquire(Connection c, String worker, Duration lease, Instant now) throws SQLException {
        Optional<Worker> held = find(c, worker, true);
        if (held.isPresent() && held.get().live(now) && !mine(held.get()) && !crashedHere(held.get())) {
            Worker w = held.get();
            throw new RejectedException(CampaignFailure.WORKER_ACTIVE, "OEM worker " + worker + " is serving already (process "
                    + w.pid() + " on " + w.host() + ", lease until " + w.leaseUntil() + "); give this worker another name"
                    + " (--worker), or start it once that lease has run out");
        }
        Worker mine = new Worker(worker, host, pid, now, now.plus(lease));
        String sql = held.isEmpty()
                ? "INSERT INTO oem_worker (host, pid, started_at, lease_until, name) VALUES (?, ?, ?, ?, ?)"
                : "UPDATE oem_worker SET host = ?, pid = ?, started_at = ?, lease_until = ? WHERE name = ?";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, host);
            p.setLong(2, pid);
            p.setObject(3, CampaignDatabase.time(now));
            p.setObject(4, CampaignDatabase.time(mine.leaseUntil()));
            p.setString(5, worker);
            p.executeUpdate();
        }
        return mine;
    }

    /**
     * Extends this process's lease of {@code worker} to {@code lease} from now. False if the lease
     * is no longer this process's (it ran out and another took the name): the caller should stop.
     */
    public boolean renew(String worker, Duration lease) {
        Instant now = clock.instant();
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE oem_worker SET lease_until = ?"
                    + " WHERE name = ? AND host = ? AND pid = ?")) {
                p.setObject(1, CampaignDatabase.time(now.plus(lease)));
                p.setString(2, worker);
                p.setString(3, host);
                p.setLong(4, pid);
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Gives up this process's lease of {@code worker} (a clean stop, a retirement), so nobody waits for it to run out. */
    public void release(String worker) {
        db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM oem_worker WHERE name = ? AND host = ? AND pid = ?")) {
                p.setString(1, worker);
                p.setString(2, host);
                p.setLong(3, pid);
                return p.executeUpdate();
            }
        });
    }

    /** Every worker with a lease, live or not, by name. */
    public List<Worker> list() {
        return db.transaction(c -> {
            List<Worker> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT name, host, pid, started_at, lease_until FROM oem_worker"
                    + " ORDER BY name"); ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(worker(rs));
                }
            }
            return out;
        });
    }

    private boolean mine(Worker w) {
        return w.host().equals(host) && w.pid() == pid;
    }

    /** A lease held by a process of this machine that no longer runs. */
    private boolean crashedHere(Worker w) {
        return w.host().equals(host) && ProcessHandle.of(w.pid()).map(h -> !h.isAlive()).orElse(true);
    }

    private static Optional<Worker> find(Connection c, String worker, boolean forUpdate) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT name, host, pid, started_at, lease_until FROM oem_worker"
                + " WHERE name = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            p.setString(1, worker);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(worker(rs)) : Optional.empty();
            }
        }
    }

    private static Worker worker(ResultSet rs) throws SQLException {
        return new Worker(rs.getString(1), rs.getString(2), rs.getLong(3), CampaignDatabase.instant(rs, "started_at"),
                CampaignDatabase.instant(rs, "lease_until"));
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}

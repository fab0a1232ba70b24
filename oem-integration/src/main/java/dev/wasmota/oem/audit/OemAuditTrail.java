package dev.wasmota.oem.audit;

import dev.wasmota.audit.AuditChain;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditTrail;
import dev.wasmota.audit.VerifyResult;
import dev.wasmota.oem.campaign.CampaignDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The OEM's one audit trail, in the OEM database: the records of every command and every worker,
 * hash-chained exactly as an audit log file is ({@link AuditChain}), numbered one at a time under a
 * lock on the chain's head, so concurrent writers (the command line, several workers on several
 * machines) never fork it. A record appended inside a campaign step's transaction
 * ({@link #append(Connection, AuditRecord)}) commits with the step or not at all; returned records
 * are durable once the database committed them.
 */
public final class OemAuditTrail implements AuditTrail {
    private static final int FETCH = 1000;

    private final CampaignDatabase db;
    private final Clock clock;

    public OemAuditTrail(CampaignDatabase db, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Appends {@code record} in a transaction of its own. */
    @Override
    public AuditRecord append(AuditRecord record) {
        return db.transaction(c -> append(c, record));
    }

    /**
     * Appends {@code record} inside the caller's transaction {@code c}: it takes the chain's head
     * lock until that transaction ends, so keep the rest of the transaction's locks taken before.
     */
    public AuditRecord append(Connection c, AuditRecord record) throws SQLException {
        return appendAll(c, List.of(record));
    }

    /**
     * Appends {@code records} in order inside the caller's transaction {@code c}, as many
     * {@link #append(Connection, AuditRecord)}s would, but reading and moving the chain's head
     * once: a batch of 256 status reports writes 256 records and one head update, not 768
     * statements on one hot row. Returns the last record sealed (the new head), or null for none.
     */
    public AuditRecord appendAll(Connection c, List<AuditRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return null;
        }
        long seq;
        String head;
        try (PreparedStatement p = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
             ResultSet rs = p.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("the OEM database has no audit_head row; it was not migrated by this program");
            }
            seq = rs.getLong(1);
            head = rs.getString(2);
        }
        AuditRecord sealed = null;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO audit_record (seq, event, line) VALUES (?, ?, ?)")) {
            for (AuditRecord record : records) {
                seq++;
                sealed = AuditChain.seal(record, seq, clock.instant(), head);
                head = sealed.hash();
                p.setLong(1, seq);
                p.setString(2, sealed.event().name());
                p.setString(3, new String(AuditChain.encode(sealed), StandardCharsets.UTF_8));
                p.addBatch();
            }
            p.executeBatch();
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")) {
            p.setLong(1, seq);
            p.setString(2, head);
            p.executeUpdate();
        }
        return sealed;
    }

    /** Every record, oldest first. */
    public List<AuditRecord> records() {
        return db.transaction(c -> read(c, "SELECT line FROM audit_record ORDER BY seq", null));
    }

    /** The records of {@code event}, oldest first. */
    public List<AuditRecord> records(AuditEvent event) {
        return db.transaction(c -> read(c, "SELECT line FROM audit_record WHERE event = ? ORDER BY seq", event.name()));
    }

    /** How many records the trail holds. */
    public long size() {
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT seq FROM audit_head WHERE id = 1"); ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /**
     * Checks the whole chain as stored, record by record in seq order, without loading it at once:
     * each in canonical form, matching its hash, numbered without a gap and naming the hash of the one
     * before; and the head the trail appends to must be the last record's.
     */
    public VerifyResult verify() {
        return db.transaction(c -> {
            VerifyResult chain;
            try (PreparedStatement p = c.prepareStatement("SELECT line FROM audit_record ORDER BY seq")) {
                p.setFetchSize(FETCH);
                try (ResultSet rs = p.executeQuery()) {
                    chain = AuditChain.verify(() -> lines(rs));
                }
            }
            if (!chain.ok()) {
                return chain;
            }
            try (PreparedStatement p = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1"); ResultSet rs = p.executeQuery()) {
                if (rs.next() && (rs.getLong(1) != chain.records() || !rs.getString(2).equals(chain.headHash()))) {
                    return new VerifyResult(chain.records(), chain.headHash(), new VerifyResult.Break(chain.records() + 1,
                            chain.records() + 1, VerifyResult.Problem.DELETED, "the trail's head is seq " + rs.getLong(1) + " "
                            + rs.getString(2) + " but its records end at seq " + chain.records()));
                }
            }
            return chain;
        });
    }

    private static List<AuditRecord> read(Connection c, String sql, String parameter) throws SQLException {
        List<AuditRecord> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setFetchSize(FETCH);
            if (parameter != null) {
                p.setString(1, parameter);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(AuditChain.decode(rs.getString(1).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }

    /** The lines of {@code rs} as UTF-8 bytes, read as they are iterated. */
    private static Iterator<byte[]> lines(ResultSet rs) {
        return new Iterator<>() {
            private Boolean ahead;

            @Override
            public boolean hasNext() {
                if (ahead == null) {
                    try {
                        ahead = rs.next();
                    } catch (SQLException e) {
                        throw new IllegalStateException("cannot read the OEM audit trail: " + e.getMessage(), e);
                    }
                }
                return ahead;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ahead = null;
                try {
                    return rs.getString(1).getBytes(StandardCharsets.UTF_8);
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot read the OEM audit trail: " + e.getMessage(), e);
                }
            }
        };
    }
}

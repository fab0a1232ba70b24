package dev.wasmota.oem.record;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.audit.OemAuditTrail;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.release.ReleaseId;
import dev.wasmota.oem.release.ReleaseStore;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Releases' own update records (UN R156 7.1.2, issue 17): what a release is for, stated once for
 * every campaign that rolls it out. A campaign inherits it, its own record's fields taking
 * precedence ({@link UpdateRecord#over}); its start checks the two together. A release's record
 * may be replaced until a campaign of the release starts.
 */
public final class ReleaseRecords {
    /** A release's stated record. */
    public record Stored(ReleaseId release, UpdateRecord record, String sha256, Instant statedAt) {
    }

    private final CampaignDatabase db;
    private final OemAuditTrail trail;
    private final Clock clock;
    private final String actor;

    public ReleaseRecords(CampaignDatabase db, OemAuditTrail trail, Clock clock, String actor) {
        this.db = Objects.requireNonNull(db, "db");
        this.trail = Objects.requireNonNull(trail, "trail");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.actor = Objects.requireNonNull(actor, "actor");
    }

    /** States (or replaces) {@code release}'s record; refused for an unknown release or once a campaign of it started. */
    public Stored state(ReleaseStore releases, ReleaseId release, UpdateRecord record) {
        releases.get(release);
        byte[] canonical = record.canonicalBytes();
        String sha = Digests.sha256Hex(canonical);
        Instant now = clock.instant();
        db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id FROM campaign WHERE module_id = ? AND release_version = ?"
                    + " AND state <> 'CREATED'")) {
                p.setString(1, release.moduleId());
                p.setString(2, release.version());
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        throw new RejectedException(RecordFailure.RECORD_FROZEN, "campaign " + rs.getString(1) + " of "
                                + release + " has started; the release's update record is fixed");
                    }
                }
            }
            try (PreparedStatement d = c.prepareStatement("DELETE FROM release_record WHERE module_id = ? AND version = ?")) {
                d.setString(1, release.moduleId());
                d.setString(2, release.version());
                d.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO release_record (module_id, version, record, sha256,"
                    + " stated_at) VALUES (?, ?, ?, ?, ?)")) {
                p.setString(1, release.moduleId());
                p.setString(2, release.version());
                p.setString(3, new String(canonical, StandardCharsets.UTF_8));
                p.setString(4, sha);
                p.setObject(5, CampaignDatabase.time(now));
                p.executeUpdate();
            }
            List<String> missing = record.missing();
            trail.append(c, AuditRecord.builder(AuditEvent.UPDATE_RECORD_STATED).actor(actor).moduleId(release.moduleId())
                    .toVersion(release.version()).outcome(AuditRecord.Outcome.SUCCESS).detail("release " + release
                            + " update record sha256 " + sha + (missing.isEmpty() ? "; complete" : "; lacks "
                            + missing.size() + " field(s)")).build());
            return null;
        });
        return new Stored(release, record, sha, now);
    }

    public Optional<Stored> find(ReleaseId release) {
        return db.transaction(c -> find(c, release));
    }

    /** In the caller's transaction. */
    public static Optional<Stored> find(Connection c, ReleaseId release) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT record, sha256, stated_at FROM release_record"
                + " WHERE module_id = ? AND version = ?")) {
            p.setString(1, release.moduleId());
            p.setString(2, release.version());
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Stored(release, UpdateRecord.parse(rs.getString(1).getBytes(StandardCharsets.UTF_8)),
                        rs.getString(2), CampaignDatabase.instant(rs, "stated_at")));
            }
        }
    }
}

package dev.wasmota.oem.record;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.audit.OemAuditTrail;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.CampaignFailure;
import dev.wasmota.oem.campaign.CampaignService;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The campaigns' update records in the OEM database: stated (or replaced) while a campaign is
 * CREATED, frozen once it starts, and checked by its start ({@link #startCheck}) over its release's
 * record if it has one ({@link ReleaseRecords}, {@link #effective}): every required
 * field present, the safe-execution confirmation given, and the V&V evidence, the release's intake
 * report, held by the OEM. A start refused for its record names the first field missing (exit 4).
 */
public final class UpdateRecords {
    /** The stated record and its V&V evidence reference. */
    public record Stored(String campaignId, UpdateRecord record, String sha256, java.time.Instant statedAt) {
    }

    private final CampaignDatabase db;
    private final OemAuditTrail trail;
    private final Clock clock;
    private final String actor;

    public UpdateRecords(CampaignDatabase db, OemAuditTrail trail, Clock clock, String actor) {
        this.db = Objects.requireNonNull(db, "db");
        this.trail = Objects.requireNonNull(trail, "trail");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.actor = Objects.requireNonNull(actor, "actor");
    }

    /**
     * States {@code record} for a CREATED campaign, replacing an earlier one, with an audit record
     * naming its digest and what it still lacks.
     */
    public Stored state(String campaignId, UpdateRecord record) {
        byte[] canonical = record.canonicalBytes();
        String sha = Digests.sha256Hex(canonical);
        java.time.Instant now = clock.instant();
        db.transaction(c -> {
            String state = campaignState(c, campaignId).orElseThrow(() -> new RejectedException(
                    CampaignFailure.UNKNOWN_CAMPAIGN, "no campaign " + campaignId));
            if (!Campaign.State.CREATED.name().equals(state)) {
                throw new RejectedException(RecordFailure.RECORD_FROZEN, "campaign " + campaignId + " is " + state
                        + "; its update record is fixed at its start");
            }
            try (PreparedStatement d = c.prepareStatement("DELETE FROM update_record WHERE campaign_id = ?")) {
                d.setString(1, campaignId);
                d.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO update_record (campaign_id, record, sha256, stated_at) VALUES (?, ?, ?, ?)")) {
                p.setString(1, campaignId);
                p.setString(2, new String(canonical, StandardCharsets.UTF_8));
                p.setString(3, sha);
                p.setObject(4, CampaignDatabase.time(now));
                p.executeUpdate();
            }
            List<String> missing = record.missing();
            trail.append(c, AuditRecord.builder(AuditEvent.UPDATE_RECORD_STATED).actor(actor).campaignId(campaignId)
                    .outcome(AuditRecord.Outcome.SUCCESS).detail(clip("update record sha256 " + sha + (missing.isEmpty()
                            ? "; complete" : "; lacks " + String.join(", ", fieldNames(missing))))).build());
            return null;
        });
        return new Stored(campaignId, record, sha, now);
    }

    /** The record stated for {@code campaignId}, if one was. */
    public Optional<Stored> find(String campaignId) {
        return db.transaction(c -> find(c, campaignId));
    }

    /**
     * The check a campaign's start runs: with {@code required}, a campaign without a record is
     * refused ({@link RecordFailure#NO_RECORD}); a record that lacks a field is refused
     * ({@link RecordFailure#INCOMPLETE_RECORD}) naming it; so is a release without an intake report,
     * the record's V&V evidence.
     */
    public static CampaignService.StartCheck startCheck(boolean required) {
        return (c, k) -> {
            Optional<UpdateRecord> effective = effective(c, k);
            if (effective.isEmpty()) {
                if (required) {
                    throw new RejectedException(RecordFailure.NO_RECORD, "campaign " + k.id() + " has no update record"
                            + " (UN R156 7.1.2), which the OEM's policy requires; state it with --record FILE (or its"
                            + " release's, ota oem release record)");
                }
                return;
            }
            List<String> missing = effective.get().missing();
            if (!missing.isEmpty()) {
                throw new RejectedException(RecordFailure.INCOMPLETE_RECORD, "campaign " + k.id()
                        + "'s update record lacks " + missing.get(0)
                        + (missing.size() > 1 ? " (and " + (missing.size() - 1) + " more)" : ""));
            }
            if (vvEvidence(c, k).isEmpty()) {
                throw new RejectedException(RecordFailure.INCOMPLETE_RECORD, "campaign " + k.id()
                        + "'s update record lacks vvEvidence: release " + k.release() + " has no intake report");
            }
        };
    }

    /**
     * The record a campaign runs under (issue 17): its own over its release's
     * ({@link UpdateRecord#over}), either alone, or empty when neither was stated.
     */
    public static Optional<UpdateRecord> effective(Connection c, Campaign k) throws SQLException {
        return effective(c, k.id(), k.release());
    }

    /** As {@link #effective(Connection, Campaign)}, for campaign {@code campaignId} of {@code releaseId}. */
    public static Optional<UpdateRecord> effective(Connection c, String campaignId, dev.wasmota.oem.release.ReleaseId releaseId)
            throws SQLException {
        Optional<UpdateRecord> own = find(c, campaignId).map(Stored::record);
        Optional<UpdateRecord> release = ReleaseRecords.find(c, releaseId).map(ReleaseRecords.Stored::record);
        if (own.isPresent() && release.isPresent()) {
            return Optional.of(own.get().over(release.get()));
        }
        return own.or(() -> release);
    }

    /** The V&V evidence of a campaign's record: the SHA-256 of its release's intake report, if the OEM holds one. */
    public static Optional<String> vvEvidence(Connection c, Campaign k) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT report FROM oem_release WHERE module_id = ? AND version = ?")) {
            p.setString(1, k.release().moduleId());
            p.setString(2, k.release().version());
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] report = rs.getBytes(1);
                return report == null ? Optional.empty() : Optional.of(Digests.sha256Hex(report));
            }
        }
    }

    static Optional<Stored> find(Connection c, String campaignId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT record, sha256, stated_at FROM update_record WHERE campaign_id = ?")) {
            p.setString(1, campaignId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                UpdateRecord r = UpdateRecord.parse(rs.getString(1).getBytes(StandardCharsets.UTF_8));
                return Optional.of(new Stored(campaignId, r, rs.getString(2), CampaignDatabase.instant(rs, "stated_at")));
            }
        }
    }

    private static Optional<String> campaignState(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT state FROM campaign WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static List<String> fieldNames(List<String> missing) {
        List<String> names = new ArrayList<>();
        missing.forEach(m -> names.add(m.substring(0, m.indexOf(':'))));
        return names;
    }

    private static String clip(String s) {
        return s.length() > 480 ? s.substring(0, 480) + "..." : s;
    }
}

package dev.wasmota.oem.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.oem.audit.OemAuditTrail;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.CampaignFailure;
import dev.wasmota.signing.instruction.UserNotice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Vehicle user information (UN R156 7.1.2, issue 17) at the OEM: what a campaign's instructions
 * tell the vehicles' users before the update ({@link UserNotice}: the purpose, taken from the
 * campaign's update record unless stated here, the expected duration and the functions unavailable
 * meanwhile), stated while the campaign is CREATED; and what each vehicle's signed status reported
 * of it (shown when, and the outcome it told the user after), kept per vehicle for the evidence.
 */
public final class CampaignNotices {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A vehicle's report of a notice: shown at {@code shownAt}, then told {@code outcome}. */
    public record Reported(String vehicleId, String instructionId, Instant shownAt, String outcome, Instant reportedAt) {
    }

    private final CampaignDatabase db;
    private final OemAuditTrail trail;
    private final Clock clock;
    private final String actor;

    public CampaignNotices(CampaignDatabase db, OemAuditTrail trail, Clock clock, String actor) {
        this.db = Objects.requireNonNull(db, "db");
        this.trail = Objects.requireNonNull(trail, "trail");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.actor = Objects.requireNonNull(actor, "actor");
    }

    /**
     * States (or replaces) what campaign {@code campaignId}'s vehicles tell their users; its
     * purpose, if not given, is the update record's. Refused once the campaign has started.
     */
    public Optional<UserNotice> state(String campaignId, Optional<String> purpose, Duration expected,
                                      List<String> unavailable) {
        new UserNotice(purpose.orElse("-"), expected.getSeconds(), unavailable);
        Instant now = clock.instant();
        return db.transaction(c -> {
            String state = campaignState(c, campaignId);
            if (!Campaign.State.CREATED.name().equals(state)) {
                throw new RejectedException(RecordFailure.RECORD_FROZEN, "campaign " + campaignId + " is " + state
                        + "; what its users are told is fixed at its start");
            }
            try (PreparedStatement d = c.prepareStatement("DELETE FROM campaign_notice WHERE campaign_id = ?")) {
                d.setString(1, campaignId);
                d.executeUpdate();
            }
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            unavailable.forEach(a::add);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO campaign_notice (campaign_id, purpose,"
                    + " expected_seconds, unavailable, stated_at) VALUES (?, ?, ?, ?, ?)")) {
                p.setString(1, campaignId);
                p.setString(2, purpose.orElse(null));
                p.setLong(3, expected.getSeconds());
                p.setString(4, new String(CanonicalJson.bytes(a), StandardCharsets.UTF_8));
                p.setObject(5, CampaignDatabase.time(now));
                p.executeUpdate();
            }
            Optional<UserNotice> n = forCampaign(c, campaignId);
            trail.append(c, AuditRecord.builder(AuditEvent.UPDATE_RECORD_STATED).actor(actor).campaignId(campaignId)
                    .outcome(AuditRecord.Outcome.SUCCESS).detail(clip("user notice: " + n.map(UserNotice::text)
                            .orElse("no purpose yet (state it, or the update record's)"))).build());
            return n;
        });
    }

    /** What the campaign's instructions tell the users, if anything is stated. */
    public Optional<UserNotice> forCampaign(String campaignId) {
        return db.transaction(c -> forCampaign(c, campaignId));
    }

    /**
     * In the caller's transaction: the notice of the campaign's instructions, or empty when neither
     * a notice nor an update record with a purpose is stated.
     */
    public static Optional<UserNotice> forCampaign(Connection c, String campaignId) throws SQLException {
        Optional<String> purpose = Optional.empty();
        long seconds = 0;
        List<String> unavailable = List.of();
        try (PreparedStatement p = c.prepareStatement("SELECT purpose, expected_seconds, unavailable FROM campaign_notice"
                + " WHERE campaign_id = ?")) {
            p.setString(1, campaignId);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    purpose = Optional.ofNullable(rs.getString(1));
                    seconds = rs.getLong(2);
                    List<String> fs = new ArrayList<>();
                    read(rs.getString(3)).forEach(f -> fs.add(f.asText()));
                    unavailable = fs;
                }
            }
        }
        if (purpose.isEmpty()) {
            Optional<dev.wasmota.oem.release.ReleaseId> release = release(c, campaignId);
            if (release.isPresent()) {
                purpose = UpdateRecords.effective(c, campaignId, release.get()).flatMap(UpdateRecord::purpose)
                        .map(CampaignNotices::firstLine);
            }
        }
        if (purpose.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new UserNotice(purpose.get(), seconds, unavailable));
    }

    /** Keeps what a vehicle's signed status reported of the notice of its instruction; a repeat replaces it. */
    public void take(String campaignId, Reported r) {
        db.transaction(c -> {
            take(c, campaignId, r);
            return null;
        });
    }

    /**
     * As {@link #take(String, Reported)}, in the caller's transaction (a status batch takes it in
     * the savepoint of its report, once the campaign counted the report).
     */
    public static void take(Connection c, String campaignId, Reported r) throws SQLException {
        if (!dev.wasmota.oem.rxswin.RxswinRegister.lockVehicle(c, r.vehicleId())) {
            return;
        }
        try (PreparedStatement d = c.prepareStatement("DELETE FROM vehicle_user_notice WHERE campaign_id = ?"
                + " AND vehicle_id = ? AND instruction_id = ?")) {
            d.setString(1, campaignId);
            d.setString(2, r.vehicleId());
            d.setString(3, r.instructionId());
            d.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO vehicle_user_notice (campaign_id, vehicle_id,"
                + " instruction_id, shown_at, outcome, reported_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setString(1, campaignId);
            p.setString(2, r.vehicleId());
            p.setString(3, r.instructionId());
            p.setObject(4, CampaignDatabase.time(r.shownAt()));
            p.setString(5, r.outcome());
            p.setObject(6, CampaignDatabase.time(r.reportedAt()));
            p.executeUpdate();
        }
    }

    /** What the campaign's vehicles reported of its notice, by vehicle. */
    public Map<String, List<Reported>> reported(String campaignId) {
        return db.transaction(c -> {
            Map<String, List<Reported>> out = new TreeMap<>();
            try (PreparedStatement p = c.prepareStatement("SELECT vehicle_id, instruction_id, shown_at, outcome, reported_at"
                    + " FROM vehicle_user_notice WHERE campaign_id = ? ORDER BY vehicle_id, reported_at")) {
                p.setString(1, campaignId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), v -> new ArrayList<>()).add(new Reported(rs.getString(1),
                                rs.getString(2), CampaignDatabase.instant(rs, "shown_at"), rs.getString(4),
                                CampaignDatabase.instant(rs, "reported_at")));
                    }
                }
            }
            return out;
        });
    }

    private static Optional<dev.wasmota.oem.release.ReleaseId> release(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT module_id, release_version FROM campaign WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(new dev.wasmota.oem.release.ReleaseId(rs.getString(1), rs.getString(2)))
                        : Optional.empty();
            }
        }
    }

    private static String campaignState(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT state FROM campaign WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new RejectedException(CampaignFailure.UNKNOWN_CAMPAIGN, "no campaign " + id);
                }
                return rs.getString(1);
            }
        }
    }

    private static String firstLine(String s) {
        String line = s.lines().findFirst().orElse("").strip();
        return line.length() <= UserNotice.MAX_TEXT ? line : line.substring(0, UserNotice.MAX_TEXT - 1) + "…";
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String clip(String s) {
        return s.length() > 480 ? s.substring(0, 480) + "..." : s;
    }
}

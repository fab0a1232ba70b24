package dev.wasmota.oem.campaign;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.instruction.ShadowCommand;
import dev.wasmota.signing.instruction.SignedShadowCommand;
import dev.wasmota.signing.pki.Credential;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * An operator's promote or discard of a campaign's shadow runs (issue 19), inside the campaign
 * step's transaction: recorded once per campaign ({@code campaign_shadow_decision}), audited, and
 * one command signed with the campaign key per vehicle whose shadow runs now (its install
 * instruction issued and not answered), bound to that instruction ({@code shadow_command}) and
 * queued in the outbox with its vehicle's instructions. A vehicle offline gets it when it comes
 * back; it answers in the status report of the instruction that started its shadow. After a
 * promotion the campaign's later waves install at once (the operator judged the release); a
 * discard aborts a running or paused campaign, so no more vehicles get the release.
 */
final class ShadowDecisions {
    private final Credential campaignKey;
    private final Ids ids;
    private final Clock clock;

    ShadowDecisions(Credential campaignKey, Ids ids, Clock clock) {
        this.campaignKey = campaignKey;
        this.ids = ids;
        this.clock = clock;
    }

    /** Decides for campaign {@code k} (locked by the caller); returns how many commands were queued. */
    int decide(Connection c, Campaign k, ShadowCommand.Action action, String reason, String actor) throws SQLException {
        if (reason.length() > ShadowCommand.MAX_REASON || reason.chars().anyMatch(Character::isISOControl)) {
            throw new RejectedException(ShadowDecisionFailure.INVALID_REASON, "the reason must be at most "
                    + ShadowCommand.MAX_REASON + " printable characters, not " + reason.length());
        }
        if (RolloutRows.find(c, k.id()).shadow().isEmpty()) {
            throw new RejectedException(ShadowDecisionFailure.NO_SHADOW_CAMPAIGN, "campaign " + k.id()
                    + " has no shadow: its release installs at once (create it with --shadow-ticks)");
        }
        Optional<ShadowDecision> before = find(c, k.id());
        if (before.isPresent()) {
            throw new RejectedException(ShadowDecisionFailure.SHADOW_DECIDED, "campaign " + k.id()
                    + "'s shadows were already concluded: " + before.get().summary());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        int n = 0;
        for (Action a : ActionRows.of(c, k.id())) {
            if (a.kind() != Action.Kind.INSTALL || a.status() != Action.Status.INSTRUCTED || a.issued().isEmpty()) {
                continue;
            }
            ShadowCommand command = new ShadowCommand(ids.commandId(), k.id(), a.vehicleId(), k.release().moduleId(),
                    a.issued().get().instructionId(), action, reason, now, now.plus(k.validity()), ids.nonce());
            byte[] file = SignedShadowCommand.sign(command, campaignKey.key(), campaignKey.cert(), clock);
            insertCommand(c, command, file);
            OutboxQueue.addShadowCommand(c, a.vehicleId(), command.commandId(), file, now);
            n++;
        }
        if (n == 0) {
            throw new RejectedException(ShadowDecisionFailure.NO_SHADOW_RUNNING, "no vehicle of campaign " + k.id()
                    + " runs its shadow now: none is instructed and unanswered (" + k.state() + ", wave "
                    + k.currentWave() + "/" + k.waveCount() + ")");
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO campaign_shadow_decision (campaign_id, action, reason,"
                + " actor, decided_at) VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, k.id());
            p.setString(2, action.name());
            p.setString(3, reason);
            p.setString(4, CampaignRows.clip(actor, 64));
            p.setObject(5, CampaignDatabase.time(now));
            p.executeUpdate();
        }
        return n;
    }

    /** The audit record of a decision. */
    static AuditRecord audited(Campaign k, ShadowCommand.Action action, String reason, String actor, int commands) {
        return AuditRecord.builder(AuditEvent.CAMPAIGN_SHADOW_DECIDED).actor(actor).campaignId(k.id())
                .moduleId(k.release().moduleId()).toVersion(k.release().version()).toWasmSha256(k.wasmSha256())
                .securityVersion(k.securityVersion()).outcome(AuditRecord.Outcome.SUCCESS).cause(action.name())
                .detail(action.wire() + " the shadow runs: " + commands + " signed command(s) queued, one per vehicle"
                        + " whose shadow runs" + (reason.isEmpty() ? "" : "; reason: " + reason)).build();
    }

    /** Whether an operator promoted the campaign's shadows: its later waves then install at once. */
    static boolean promoted(Connection c, String campaignId) throws SQLException {
        return find(c, campaignId).filter(d -> d.action() == ShadowCommand.Action.PROMOTE).isPresent();
    }

    /** The campaign's decision, with how many of its vehicles answered since, if one was made. */
    static Optional<ShadowDecision> find(Connection c, String campaignId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT d.action, d.reason, d.actor, d.decided_at,"
                + " (SELECT COUNT(*) FROM shadow_command s WHERE s.campaign_id = d.campaign_id),"
                + " (SELECT COUNT(*) FROM shadow_command s JOIN campaign_action a ON a.instruction_id = s.instruction_id"
                + " WHERE s.campaign_id = d.campaign_id AND a.status IN ('COMMITTED', 'FAILED', 'ROLLED_BACK'))"
                + " FROM campaign_shadow_decision d WHERE d.campaign_id = ?")) {
            p.setString(1, campaignId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ShadowDecision(campaignId, ShadowCommand.Action.valueOf(rs.getString(1)),
                        rs.getString(2), rs.getString(3), rs.getObject(4, java.time.OffsetDateTime.class).toInstant(),
                        rs.getInt(5), rs.getInt(6)));
            }
        }
    }

    private static void insertCommand(Connection c, ShadowCommand s, byte[] file) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO shadow_command (command_id, campaign_id, vehicle_id,"
                + " instruction_id, action, issued_at, expires_at, command_file) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, s.commandId());
            p.setString(2, s.campaignId());
            p.setString(3, s.vehicleId());
            p.setString(4, s.instructionId());
            p.setString(5, s.action().name());
            p.setObject(6, CampaignDatabase.time(s.issuedAt()));
            p.setObject(7, CampaignDatabase.time(s.expiresAt()));
            p.setBytes(8, file);
            p.executeUpdate();
        }
    }
}

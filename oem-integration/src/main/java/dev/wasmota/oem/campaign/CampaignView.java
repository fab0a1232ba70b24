package dev.wasmota.oem.campaign;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Campaigns read straight from the database, for someone who only looks (a watching command, a
 * dashboard): no keys, no audit log, no outbox, so it holds nothing another command needs, and it
 * changes nothing (not even expiries, which the workers count).
 */
public final class CampaignView {
    private CampaignView() {
    }

    /** The campaign with its waves' counts; refused ({@link CampaignFailure#UNKNOWN_CAMPAIGN}) if there is none. */
    public static CampaignStatus status(CampaignDatabase db, String id) {
        return db.transaction(c -> {
            Campaign k = CampaignRows.find(c, id, false).orElseThrow(() -> CampaignRows.unknown(id));
            var counts = WaveEngine.countsByWave(c, id);
            List<CampaignStatus.WaveStatus> waves = CampaignRows.waves(c, id).stream()
                    .map(w -> new CampaignStatus.WaveStatus(w, counts.getOrDefault(w.index(), WaveCounts.of(List.of()))))
                    .toList();
            List<Action> rollbacks = ActionRows.of(c, id).stream().filter(a -> a.kind() == Action.Kind.ROLLBACK).toList();
            return new CampaignStatus(k, waves, k.rollbackTo().map(r -> WaveCounts.of(rollbacks)));
        });
    }

    /**
     * As {@link #status}, every count taken by one aggregate query over the campaign's actions, so
     * no action row (nor its signed instruction) leaves the database: what a dashboard asking
     * often about a campaign of 100,000 vehicles reads.
     */
    public static CampaignStatus statusCounted(CampaignDatabase db, String id) {
        return db.transaction(c -> {
            Campaign k = CampaignRows.find(c, id, false).orElseThrow(() -> CampaignRows.unknown(id));
            java.util.Map<Integer, int[]> installs = new java.util.HashMap<>();
            int[] rollbacks = new int[5];
            try (PreparedStatement p = c.prepareStatement("SELECT kind, wave_index, status, COUNT(*) FROM campaign_action"
                    + " WHERE campaign_id = ? GROUP BY kind, wave_index, status")) {
                p.setString(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        int[] n = Action.Kind.valueOf(rs.getString(1)) == Action.Kind.ROLLBACK ? rollbacks
                                : installs.computeIfAbsent(rs.getInt(2), w -> new int[5]);
                        int count = rs.getInt(4);
                        Action.Status status = Action.Status.valueOf(rs.getString(3).trim());
                        if (status == Action.Status.EXCLUDED) {
                            continue;
                        }
                        n[0] += count;
                        switch (status) {
                            case PENDING -> n[1] += count;
                            case INSTRUCTED -> n[2] += count;
                            case COMMITTED -> n[3] += count;
                            case FAILED, ROLLED_BACK -> n[4] += count;
                            default -> { }
                        }
                    }
                }
            }
            List<CampaignStatus.WaveStatus> waves = CampaignRows.waves(c, id).stream()
                    .map(w -> new CampaignStatus.WaveStatus(w, counts(installs.getOrDefault(w.index(), new int[5]))))
                    .toList();
            return new CampaignStatus(k, waves, k.rollbackTo().map(r -> counts(rollbacks)));
        });
    }

    private static WaveCounts counts(int[] n) {
        return new WaveCounts(n[0], n[1], n[2], n[3], n[4]);
    }

    /** An instruction issued and not answered yet: to whom, which, when issued, until when valid. */
    public record Awaited(String vehicleId, String campaignId, String instructionId, Instant issuedAt, Instant expiresAt) {
    }

    /**
     * Every instruction issued, not answered and not expired at {@code now}, that its campaign
     * still means to reach its vehicle (as {@link CampaignService#unanswered} counts them), by
     * vehicle: what the OEM asks vehicles to report again. One query; no instruction file or
     * package is read.
     */
    public static List<Awaited> awaitingAnswer(CampaignDatabase db, Instant now) {
        return db.transaction(c -> {
            List<Awaited> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT a.vehicle_id, a.campaign_id, a.kind, a.instruction_id,"
                    + " a.issued_at, a.expires_at, k.state FROM campaign_action a JOIN campaign k ON k.id = a.campaign_id"
                    + " WHERE a.status = ? AND a.expires_at >= ? ORDER BY a.vehicle_id, a.issued_at, a.instruction_id")) {
                p.setString(1, Action.Status.INSTRUCTED.name());
                p.setObject(2, CampaignDatabase.time(now));
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        if (UnansweredInstructions.stillMeant(Campaign.State.valueOf(rs.getString("state")),
                                Action.Kind.valueOf(rs.getString("kind")))) {
                            out.add(new Awaited(rs.getString("vehicle_id"), rs.getString("campaign_id"),
                                    rs.getString("instruction_id"), CampaignDatabase.instant(rs, "issued_at"),
                                    CampaignDatabase.instant(rs, "expires_at")));
                        }
                    }
                }
            }
            return out;
        });
    }
}

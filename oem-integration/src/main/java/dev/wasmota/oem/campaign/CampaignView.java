package dev.wasmota.oem.campaign;

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
}

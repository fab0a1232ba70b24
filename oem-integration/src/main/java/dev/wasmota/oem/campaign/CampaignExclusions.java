package dev.wasmota.oem.campaign;

import dev.wasmota.contract.error.RejectedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Leaves out, at a campaign's start, the vehicles its {@link CampaignService.TargetCheck} finds
 * incompatible: each one's install action becomes {@link Action.Status#EXCLUDED} with the reason
 * as its detail and one audit record, so {@code campaign status} names it and the evidence keeps
 * it; the campaign proceeds with the others. A campaign none of whose vehicles fits is refused
 * as a whole ({@link CampaignFailure#NO_COMPATIBLE_VEHICLE}), naming the first reasons.
 */
final class CampaignExclusions {
    /** Most reasons a whole refusal names. */
    private static final int NAMED = 5;

    private CampaignExclusions() {
    }

    static void exclude(Connection c, Campaign k, CampaignService.TargetCheck check, CampaignAudit audit, Instant now,
                        Effects fx) throws SQLException {
        List<Action> installs = new ArrayList<>();
        for (Action a : ActionRows.of(c, k.id())) {
            if (a.kind() == Action.Kind.INSTALL && a.status() == Action.Status.PENDING) {
                installs.add(a);
            }
        }
        Map<String, String> refused = check.incompatible(c, k, installs.stream().map(Action::vehicleId).toList());
        if (refused.isEmpty()) {
            return;
        }
        if (refused.size() >= installs.size()) {
            StringBuilder why = new StringBuilder("no vehicle of campaign " + k.id() + " fits release " + k.release() + ":");
            refused.entrySet().stream().limit(NAMED).forEach(e -> why.append(' ').append(e.getKey()).append(" (")
                    .append(e.getValue()).append(");"));
            if (refused.size() > NAMED) {
                why.append(" and ").append(refused.size() - NAMED).append(" more;");
            }
            throw new RejectedException(CampaignFailure.NO_COMPATIBLE_VEHICLE, why.substring(0, why.length() - 1));
        }
        for (Action a : installs) {
            String reason = refused.get(a.vehicleId());
            if (reason != null) {
                ActionRows.setStatus(c, a, Action.Status.EXCLUDED, Action.INCOMPATIBLE, reason, now);
                fx.records.add(audit.excluded(k, a.vehicleId(), reason));
            }
        }
    }
}

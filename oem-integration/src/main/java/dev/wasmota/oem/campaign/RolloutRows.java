package dev.wasmota.oem.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.signing.instruction.ShadowDelivery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The {@code campaign_rollout} table: a campaign's {@link RolloutOptions}, absent for a plain rollout. */
final class RolloutRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RolloutRows() {
    }

    static void insert(Connection c, String campaignId, RolloutOptions o) throws SQLException {
        if (o.shadow().isEmpty()) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO campaign_rollout (campaign_id, shadow_json) VALUES (?, ?)")) {
            p.setString(1, campaignId);
            p.setString(2, new String(CanonicalJson.bytes(o.shadow().get().toJson()), StandardCharsets.UTF_8));
            p.executeUpdate();
        }
    }

    static RolloutOptions find(Connection c, String campaignId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT shadow_json FROM campaign_rollout WHERE campaign_id = ?")) {
            p.setString(1, campaignId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null) {
                    return RolloutOptions.NONE;
                }
                try {
                    return new RolloutOptions(Optional.of(ShadowDelivery.fromJson(JSON.readTree(rs.getString(1)))));
                } catch (IOException e) {
                    throw new SQLException("campaign " + campaignId + ": stored shadow options are not JSON", e);
                }
            }
        }
    }
}

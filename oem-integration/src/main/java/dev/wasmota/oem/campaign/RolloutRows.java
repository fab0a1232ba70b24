package dev.wasmota.oem.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.contract.stats.ModuleHealth;
import dev.wasmota.signing.instruction.ShadowDelivery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code campaign_rollout} table (a campaign's {@link RolloutOptions}, absent for a plain
 * rollout) and the {@code vehicle_health} table (each vehicle's latest signed runtime health).
 */
final class RolloutRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RolloutRows() {
    }

    static void insert(Connection c, String campaignId, RolloutOptions o) throws SQLException {
        if (!o.any()) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO campaign_rollout (campaign_id, shadow_json, health_json) VALUES (?, ?, ?)")) {
            p.setString(1, campaignId);
            p.setString(2, o.shadow().map(s -> text(CanonicalJson.bytes(s.toJson()))).orElse(null));
            p.setString(3, o.health().map(h -> text(CanonicalJson.bytes(h.toJson()))).orElse(null));
            p.executeUpdate();
        }
    }

    /** Each running campaign's options ({@link ConnectionCache}): written with the campaign, never changed. */
    private static final ConnectionCache<RolloutOptions> KEPT = new ConnectionCache<>();

    /**
     * {@link #find(Connection, String)} of campaign {@code k}, which has started (its options were
     * written in its creating transaction, long committed): kept, as the wave rules read them after
     * every status report.
     */
    static RolloutOptions find(Connection c, Campaign k) throws SQLException {
        if (k.state() == Campaign.State.CREATED) {
            return find(c, k.id());
        }
        String key = ConnectionCache.key(k.id(), k.createdAt());
        RolloutOptions known = KEPT.get(c, key);
        if (known == null) {
            known = find(c, k.id());
            KEPT.put(c, key, known);
        }
        return known;
    }

    static RolloutOptions find(Connection c, String campaignId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT shadow_json, health_json FROM campaign_rollout WHERE campaign_id = ?")) {
            p.setString(1, campaignId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return RolloutOptions.NONE;
                }
                Optional<ShadowDelivery> shadow = Optional.ofNullable(rs.getString(1))
                        .map(s -> ShadowDelivery.fromJson(tree(campaignId, s)));
                Optional<HealthGate> health = Optional.ofNullable(rs.getString(2))
                        .map(s -> HealthGate.fromJson(tree(campaignId, s)));
                return new RolloutOptions(shadow, health);
            }
        }
    }

    /** Keeps {@code h} as the vehicle's latest health for the campaign. */
    static void health(Connection c, String campaignId, String vehicleId, ModuleHealth h, Instant at) throws SQLException {
        String json = text(CanonicalJson.bytes(h.toJson()));
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE vehicle_health SET health_json = ?, reported_at = ? WHERE campaign_id = ? AND vehicle_id = ?")) {
            p.setString(1, json);
            p.setObject(2, java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC));
            p.setString(3, campaignId);
            p.setString(4, vehicleId);
            if (p.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO vehicle_health (campaign_id, vehicle_id, health_json, reported_at) VALUES (?, ?, ?, ?)")) {
            p.setString(1, campaignId);
            p.setString(2, vehicleId);
            p.setString(3, json);
            p.setObject(4, java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC));
            p.executeUpdate();
        }
    }

    /** Each vehicle's latest health for the campaign, by vehicle id. */
    static Map<String, ModuleHealth> health(Connection c, String campaignId) throws SQLException {
        Map<String, ModuleHealth> out = new LinkedHashMap<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT vehicle_id, health_json FROM vehicle_health WHERE campaign_id = ? ORDER BY vehicle_id")) {
            p.setString(1, campaignId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), ModuleHealth.fromJson(tree(campaignId, rs.getString(2))));
                }
            }
        }
        return out;
    }

    private static String text(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static JsonNode tree(String campaignId, String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("campaign " + campaignId + ": stored rollout JSON is unreadable", e);
        }
    }
}

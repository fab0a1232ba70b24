package dev.wasmota.oem.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.CampaignService;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * A campaign's vehicles in pages (by vehicle id, then kind): each action's wave, status, cause
 * and instruction. A campaign of 100,000 vehicles is read a page at a time.
 */
public final class CampaignQuery {
    private static final char SEP = '\u0001';

    private final CampaignDatabase db;

    public CampaignQuery(CampaignDatabase db) {
        this.db = db;
    }

    /** Checks a {@code status} filter; refuses naming the parameter. */
    public static Optional<Action.Status> status(Object text) {
        if (text == null || text.toString().isEmpty()) {
            return Optional.empty();
        }
        return Arrays.stream(Action.Status.values()).filter(s -> s.name().equals(text.toString())).findFirst()
                .or(() -> {
                    throw new FieldRejected(ApiFailure.INVALID_PARAMETER, "status", "status '"
                            + PageRequest.clip(text.toString()) + "' is not one of " + Arrays.toString(Action.Status.values()));
                });
    }

    /** A page of the campaign's actions; the campaign must exist ({@code service.get} refuses otherwise). */
    public ObjectNode vehicles(CampaignService service, String campaignId, PageRequest page, Optional<Action.Status> status) {
        service.get(campaignId);
        String after = page.after().orElse("");
        int sep = after.indexOf(SEP);
        String afterVehicle = sep < 0 ? after : after.substring(0, sep);
        String afterKind = sep < 0 ? "" : after.substring(sep + 1);
        return db.transaction(c -> {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            ArrayNode items = o.putArray("items");
            String last = null;
            boolean more = false;
            try (PreparedStatement p = c.prepareStatement("SELECT vehicle_id, kind, wave_index, status, cause, detail,"
                    + " instruction_id, issued_at, updated_at FROM campaign_action WHERE campaign_id = ?"
                    + " AND (vehicle_id > ? OR (vehicle_id = ? AND kind > ?))" + (status.isPresent() ? " AND status = ?" : "")
                    + " ORDER BY vehicle_id, kind")) {
                p.setMaxRows(page.limit() + 1);
                p.setString(1, campaignId);
                p.setString(2, afterVehicle);
                p.setString(3, afterVehicle);
                p.setString(4, afterKind);
                if (status.isPresent()) {
                    p.setString(5, status.get().name());
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        if (items.size() == page.limit()) {
                            more = true;
                            break;
                        }
                        ObjectNode a = items.addObject();
                        a.put("vehicle", rs.getString("vehicle_id"));
                        a.put("kind", rs.getString("kind"));
                        a.put("wave", rs.getInt("wave_index"));
                        a.put("status", rs.getString("status"));
                        a.put("cause", rs.getString("cause"));
                        a.put("detail", rs.getString("detail"));
                        a.put("instruction", rs.getString("instruction_id"));
                        Instant issued = CampaignDatabase.instant(rs, "issued_at");
                        a.put("issuedAt", issued == null ? null : issued.toString());
                        a.put("updatedAt", CampaignDatabase.instant(rs, "updated_at").toString());
                        last = rs.getString("vehicle_id") + SEP + rs.getString("kind");
                    }
                }
            }
            o.put("next", more ? PageRequest.cursor(last) : null);
            return o;
        });
    }
}

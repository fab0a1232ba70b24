package dev.wasmota.oem.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.oem.campaign.CampaignDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The OEM's audit trail in pages, oldest first by sequence number, optionally one event only
 * (dead letters are the {@link AuditEvent#MESSAGE_DEAD_LETTERED} records, their {@code cause} the
 * reason). Each record is its stored line, as chained, with its {@code seq}.
 */
public final class AuditQuery {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CampaignDatabase db;

    public AuditQuery(CampaignDatabase db) {
        this.db = db;
    }

    /** Checks an {@code event} filter; refuses naming the parameter. */
    public static Optional<AuditEvent> event(Object text) {
        if (text == null || text.toString().isEmpty()) {
            return Optional.empty();
        }
        return Arrays.stream(AuditEvent.values()).filter(e -> e.name().equals(text.toString())).findFirst()
                .or(() -> {
                    throw new FieldRejected(ApiFailure.INVALID_PARAMETER, "event", "event '"
                            + PageRequest.clip(text.toString()) + "' is not an audit event");
                });
    }

    /** A page of records after the cursor's sequence number. */
    public ObjectNode page(PageRequest page, Optional<AuditEvent> event) {
        long after;
        try {
            after = page.after().map(Long::parseLong).orElse(0L);
        } catch (NumberFormatException e) {
            throw new FieldRejected(ApiFailure.INVALID_PARAMETER, "cursor", "cursor is not one this resource gave out");
        }
        List<ObjectNode> rows = db.transaction(c -> {
            List<ObjectNode> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT seq, line FROM audit_record WHERE seq > ?"
                    + (event.isPresent() ? " AND event = ?" : "") + " ORDER BY seq")) {
                p.setMaxRows(page.limit() + 1);
                p.setLong(1, after);
                if (event.isPresent()) {
                    p.setString(2, event.get().name());
                }
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode r = (ObjectNode) JSON.readTree(rs.getString("line"));
                        r.put("seq", rs.getLong("seq"));
                        out.add(r);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("an audit record is not JSON", e);
                }
            }
            return out;
        });
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode items = o.putArray("items");
        boolean more = rows.size() > page.limit();
        List<ObjectNode> shown = more ? rows.subList(0, page.limit()) : rows;
        shown.forEach(items::add);
        o.put("next", more ? PageRequest.cursor(shown.get(shown.size() - 1).get("seq").asText()) : null);
        return o;
    }

    /** How many of the latest records of each kind the refusal counts read. */
    static final int REFUSALS_READ = 5_000;

    /**
     * Refusals by reason, for the console: dead letters and refused status reports, each counted by
     * their {@code cause} over the latest {@value #REFUSALS_READ} records of their event.
     */
    public ObjectNode refusals() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("deadLetters", byCause(AuditEvent.MESSAGE_DEAD_LETTERED, false));
        o.set("statusRefused", byCause(AuditEvent.CAMPAIGN_STATUS_RECEIVED, true));
        o.put("window", REFUSALS_READ);
        return o;
    }

    private ObjectNode byCause(AuditEvent event, boolean refusedOnly) {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT line FROM audit_record WHERE event = ? ORDER BY seq DESC")) {
                p.setMaxRows(REFUSALS_READ);
                p.setString(1, event.name());
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        var r = JSON.readTree(rs.getString(1));
                        if (!refusedOnly || "REFUSED".equals(r.path("outcome").asText())) {
                            counts.merge(r.path("cause").asText("UNKNOWN"), 1, Integer::sum);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("an audit record is not JSON", e);
                }
            }
            return null;
        });
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        counts.forEach(o::put);
        return o;
    }
}

package dev.wasmota.oem.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.FleetSnapshot;
import dev.wasmota.signing.manifest.Manifest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fleet as the API shows it, read in pages: each vehicle with its state (the status of its
 * latest campaign action, {@value FleetSnapshot#IDLE} if none) and the version of each module it
 * last committed. A filtered page scans at most {@value #MAX_SCAN} vehicles per request and may
 * come back short with a cursor to go on: no request reads or returns the whole fleet.
 */
public final class FleetQuery {
    static final int MAX_SCAN = 5_000;
    private static final int BATCH = 500;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final CampaignDatabase db;

    public FleetQuery(CampaignDatabase db) {
        this.db = db;
    }

    /** What a vehicle list is filtered by; each empty when not filtered. */
    public record Filter(Optional<String> hardware, Optional<String> state, Optional<String> version) {
        /** Checks each filter's form; refuses naming the parameter. */
        public static Filter parse(Object hardware, Object state, Object version) {
            Optional<String> h = text(hardware);
            Optional<String> s = text(state);
            Optional<String> v = text(version);
            if (h.isPresent() && !Manifest.HARDWARE_ID.matcher(h.get()).matches()) {
                throw new FieldRejected(ApiFailure.INVALID_PARAMETER, "hardware", "hardware '" + PageRequest.clip(h.get())
                        + "' is not " + Manifest.HARDWARE_ID.pattern());
            }
            if (s.isPresent() && !FleetSnapshot.VEHICLE_STATES.contains(s.get())) {
                throw new FieldRejected(ApiFailure.INVALID_PARAMETER, "state", "state '" + PageRequest.clip(s.get())
                        + "' is not one of " + FleetSnapshot.VEHICLE_STATES);
            }
            if (v.isPresent() && (v.get().length() > 130 || !v.get().matches("[A-Za-z0-9._@+-]+"))) {
                throw new FieldRejected(ApiFailure.INVALID_PARAMETER, "version", "version '" + PageRequest.clip(v.get())
                        + "' is not VERSION or MODULE@VERSION");
            }
            return new Filter(h, s, v);
        }

        private static Optional<String> text(Object o) {
            return o == null || o.toString().isEmpty() ? Optional.empty() : Optional.of(o.toString());
        }

        boolean matches(Row r) {
            return state.map(s -> s.equals(r.state)).orElse(true)
                    && version.map(v -> r.versions.entrySet().stream()
                            .anyMatch(e -> v.equals(e.getValue()) || v.equals(e.getKey() + "@" + e.getValue()))).orElse(true);
        }
    }

    /** One page of vehicles: {@code items} and {@code next} (a cursor, or null at the end). */
    public ObjectNode page(PageRequest page, Filter filter) {
        return db.transaction(c -> {
            boolean inJava = filter.state().isPresent() || filter.version().isPresent();
            List<Row> out = new ArrayList<>();
            String after = page.after().orElse("");
            int scanned = 0;
            boolean more = true;
            while (out.size() <= page.limit() && more && scanned < MAX_SCAN) {
                int batch = inJava ? BATCH : page.limit() + 1;
                List<Row> rows = vehicles(c, after, filter.hardware(), batch);
                more = rows.size() == batch;
                states(c, rows);
                for (Row r : rows) {
                    scanned++;
                    after = r.id;
                    if (filter.matches(r)) {
                        out.add(r);
                        if (out.size() > page.limit()) {
                            break;
                        }
                    }
                }
                if (!inJava) {
                    break;
                }
            }
            ObjectNode o = F.objectNode();
            ArrayNode items = o.putArray("items");
            String next = null;
            if (out.size() > page.limit()) {
                out = out.subList(0, page.limit());
                next = out.get(out.size() - 1).id;
            } else if (more && inJava) {
                next = after;
            }
            out.forEach(r -> items.add(r.json()));
            o.put("next", next == null ? null : PageRequest.cursor(next));
            return o;
        });
    }

    /** The vehicle with its campaign history (newest first, at most 200 actions); empty if unknown. */
    public Optional<ObjectNode> detail(String id) {
        return db.transaction(c -> {
            List<Row> rows = query(c, "SELECT id, hardware_id, registered_at FROM vehicle WHERE id = ?", List.of(id));
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            states(c, rows);
            ObjectNode o = rows.get(0).json();
            ArrayNode history = o.putArray("history");
            try (PreparedStatement p = c.prepareStatement("SELECT a.campaign_id, a.kind, a.wave_index, a.status, a.cause,"
                    + " a.detail, a.instruction_id, a.issued_at, a.updated_at, k.module_id, k.release_version,"
                    + " k.rollback_version FROM campaign_action a JOIN campaign k ON k.id = a.campaign_id"
                    + " WHERE a.vehicle_id = ? ORDER BY a.updated_at DESC, a.campaign_id")) {
                p.setMaxRows(200);
                p.setString(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode h = history.addObject();
                        h.put("campaign", rs.getString("campaign_id"));
                        h.put("kind", rs.getString("kind"));
                        h.put("wave", rs.getInt("wave_index"));
                        h.put("status", rs.getString("status"));
                        h.put("release", rs.getString("module_id") + "@" + ("ROLLBACK".equals(rs.getString("kind"))
                                ? rs.getString("rollback_version") : rs.getString("release_version")));
                        h.put("cause", rs.getString("cause"));
                        h.put("detail", rs.getString("detail"));
                        h.put("instruction", rs.getString("instruction_id"));
                        Instant issued = CampaignDatabase.instant(rs, "issued_at");
                        h.put("issuedAt", issued == null ? null : issued.toString());
                        h.put("updatedAt", CampaignDatabase.instant(rs, "updated_at").toString());
                    }
                }
            }
            return Optional.of(o);
        });
    }

    /**
     * The fleet counted: vehicles by state ({@link FleetSnapshot}) and by each module's version
     * they last committed ({@code MODULE@VERSION}, one pass over the committed actions).
     */
    public ObjectNode summary(Instant now) {
        FleetSnapshot s = FleetSnapshot.read(db, now);
        ObjectNode o = F.objectNode();
        o.put("at", now.toString());
        o.put("vehicles", s.vehicles());
        ObjectNode byState = o.putObject("byState");
        s.vehiclesByState().forEach(byState::put);
        ObjectNode campaigns = o.putObject("campaigns");
        s.campaigns().forEach((k, v) -> campaigns.put(k.name(), v));
        Map<String, Integer> byVersion = db.transaction(c -> {
            Map<String, Map<String, Latest>> latest = new HashMap<>();
            try (PreparedStatement p = c.prepareStatement(ACTIONS + " WHERE a.status = 'COMMITTED'");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Latest l = Latest.of(rs);
                    latest.computeIfAbsent(rs.getString("vehicle_id"), v -> new HashMap<>()).merge(l.module, l, Latest::later);
                }
            }
            Map<String, Integer> counts = new TreeMap<>();
            latest.values().forEach(m -> m.values().forEach(l -> counts.merge(l.module + "@" + l.version, 1, Integer::sum)));
            return counts;
        });
        ObjectNode versions = o.putObject("byVersion");
        byVersion.forEach(versions::put);
        return o;
    }

    private static final String ACTIONS = "SELECT a.vehicle_id, a.kind, a.status, a.counter, a.updated_at, a.campaign_id,"
            + " k.module_id, k.release_version, k.rollback_version FROM campaign_action a JOIN campaign k ON k.id = a.campaign_id";

    private static List<Row> vehicles(Connection c, String after, Optional<String> hardware, int limit) throws SQLException {
        List<String> params = new ArrayList<>(List.of(after));
        hardware.ifPresent(params::add);
        String sql = "SELECT id, hardware_id, registered_at FROM vehicle WHERE id > ?"
                + (hardware.isPresent() ? " AND hardware_id = ?" : "") + " ORDER BY id";
        return query(c, sql, params, limit);
    }

    private static List<Row> query(Connection c, String sql, List<String> params) throws SQLException {
        return query(c, sql, params, 0);
    }

    private static List<Row> query(Connection c, String sql, List<String> params, int limit) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setMaxRows(limit);
            for (int i = 0; i < params.size(); i++) {
                p.setString(i + 1, params.get(i));
            }
            List<Row> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row(rs.getString("id"), rs.getString("hardware_id"),
                            CampaignDatabase.instant(rs, "registered_at")));
                }
            }
            return out;
        }
    }

    /** Fills in each row's state, campaign and versions from its actions: one query for the batch. */
    private static void states(Connection c, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Row> byId = new LinkedHashMap<>();
        rows.forEach(r -> byId.put(r.id, r));
        String marks = String.join(",", Collections.nCopies(rows.size(), "?"));
        try (PreparedStatement p = c.prepareStatement(ACTIONS + " WHERE a.vehicle_id IN (" + marks + ")")) {
            int i = 1;
            for (String id : byId.keySet()) {
                p.setString(i++, id);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Row r = byId.get(rs.getString("vehicle_id"));
                    Latest l = Latest.of(rs);
                    if (r.latest == null || l.isAfter(r.latest)) {
                        r.latest = l;
                    }
                    if ("COMMITTED".equals(l.status)) {
                        r.committed.merge(l.module, l, Latest::later);
                    }
                }
            }
        }
        for (Row r : rows) {
            r.state = r.latest == null ? FleetSnapshot.IDLE : r.latest.status;
            r.committed.forEach((m, l) -> r.versions.put(m, l.version));
        }
    }

    /** One action of a vehicle, as far as its state and version go. */
    private record Latest(String module, String version, String status, String campaign, Instant at, long counter) {
        static Latest of(ResultSet rs) throws SQLException {
            boolean rollback = "ROLLBACK".equals(rs.getString("kind"));
            long counter = rs.getLong("counter");
            return new Latest(rs.getString("module_id"), rollback ? rs.getString("rollback_version")
                    : rs.getString("release_version"), rs.getString("status"), rs.getString("campaign_id"),
                    CampaignDatabase.instant(rs, "updated_at"), counter);
        }

        boolean isAfter(Latest o) {
            int t = at.compareTo(o.at);
            return t > 0 || (t == 0 && counter > o.counter);
        }

        static Latest later(Latest a, Latest b) {
            return b.isAfter(a) ? b : a;
        }
    }

    private static final class Row {
        final String id;
        final String hardware;
        final Instant registered;
        Latest latest;
        String state;
        final Map<String, Latest> committed = new TreeMap<>();
        final Map<String, String> versions = new TreeMap<>();

        Row(String id, String hardware, Instant registered) {
            this.id = id;
            this.hardware = hardware;
            this.registered = registered;
        }

        ObjectNode json() {
            ObjectNode o = F.objectNode();
            o.put("id", id);
            o.put("hardware", hardware);
            o.put("registeredAt", registered.toString());
            o.put("state", state);
            o.put("campaign", latest == null ? null : latest.campaign);
            ObjectNode v = o.putObject("versions");
            versions.forEach(v::put);
            return o;
        }
    }
}

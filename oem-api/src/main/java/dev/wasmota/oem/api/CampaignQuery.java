package dev.wasmota.oem.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.charts.CommittedOverTime;
import dev.wasmota.charts.TimeToCommit;
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

    /** At most this many points per wave in the committed-over-time series. */
    static final int MAX_POINTS = 200;
    /** Bins of the time-to-commit histogram. */
    static final int BINS = 15;

    /** A campaign's committed installs: when it started, each wave's commit times since then, and each time to commit. */
    private record Commits(dev.wasmota.oem.campaign.CampaignStatus status, Optional<Instant> start,
                           java.util.Map<Integer, java.util.List<Long>> byWave, java.util.List<Long> timeToCommit) {
    }

    /** One pass over the campaign's committed installs (refused as the campaign detail is if there is none). */
    private Commits commits(String campaignId) {
        var status = dev.wasmota.oem.campaign.CampaignView.statusCounted(db, campaignId);
        Optional<Instant> start = status.waves().stream().flatMap(w -> w.wave().startedAt().stream()).min(Instant::compareTo);
        java.util.Map<Integer, java.util.List<Long>> byWave = new java.util.TreeMap<>();
        java.util.List<Long> ttc = new java.util.ArrayList<>();
        db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT wave_index, issued_at, updated_at FROM campaign_action"
                    + " WHERE campaign_id = ? AND kind = 'INSTALL' AND status = 'COMMITTED' ORDER BY updated_at")) {
                p.setString(1, campaignId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        Instant done = CampaignDatabase.instant(rs, "updated_at");
                        Instant issued = CampaignDatabase.instant(rs, "issued_at");
                        long since = start.map(s0 -> java.time.Duration.between(s0, done).toMillis()).orElse(0L);
                        byWave.computeIfAbsent(rs.getInt("wave_index"), w -> new java.util.ArrayList<>()).add(Math.max(0, since));
                        if (issued != null) {
                            ttc.add(Math.max(0, java.time.Duration.between(issued, done).toMillis()));
                        }
                    }
                }
            }
            return null;
        });
        java.util.Collections.sort(ttc);
        return new Commits(status, start, byWave, ttc);
    }

    /** Each wave's step line, at most {@value #MAX_POINTS} points (the last always kept), as the shared chart takes it. */
    private static java.util.List<CommittedOverTime.Wave> waves(Commits k) {
        java.util.List<CommittedOverTime.Wave> out = new java.util.ArrayList<>();
        for (var w : k.status().waves()) {
            java.util.List<Long> commits = k.byWave().getOrDefault(w.wave().index(), java.util.List.of());
            java.util.List<long[]> points = new java.util.ArrayList<>();
            int step = Math.max(1, (commits.size() + MAX_POINTS - 1) / MAX_POINTS);
            for (int i = 0; i < commits.size(); i++) {
                if (i % step == step - 1 || i == commits.size() - 1) {
                    points.add(new long[] {commits.get(i), i + 1});
                }
            }
            out.add(new CommittedOverTime.Wave(w.wave().index(), points, commits.size()));
        }
        return out;
    }

    /** The campaign's vehicles committed over time per wave, the simulator report's chart, as an SVG document. */
    public String committedOverTimeSvg(String campaignId) {
        return CommittedOverTime.render("committed-over-time", "Vehicles committed over time, per wave, campaign "
                + campaignId, waves(commits(campaignId)), true);
    }

    /** The time from each instruction to its commit, the simulator report's histogram, as an SVG document. */
    public String timeToCommitSvg(String campaignId) {
        return TimeToCommit.render("time-to-commit", "Time to commit, campaign " + campaignId,
                commits(campaignId).timeToCommit(), "seconds from instruction to commit", true);
    }

    /**
     * What the console's charts draw, bounded whatever the campaign's size: per wave, the vehicles
     * committed over time since the campaign started (at most {@value #MAX_POINTS} points, the last
     * always kept), and the time from instruction to commit as a histogram with its median and 99th
     * percentile. One pass over the campaign's committed installs.
     */
    public ObjectNode timeline(String campaignId) {
        Commits k = commits(campaignId);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("campaign", campaignId);
        o.put("startedAt", k.start().map(Instant::toString).orElse(null));
        ArrayNode waves = o.putArray("waves");
        for (CommittedOverTime.Wave w : waves(k)) {
            ObjectNode n = waves.addObject();
            n.put("index", w.index());
            n.put("committed", w.committed());
            ArrayNode points = n.putArray("points");
            w.points().forEach(p -> points.addArray().add(p[0]).add(p[1]));
        }
        java.util.List<Long> ttc = k.timeToCommit();
        ObjectNode t = o.putObject("timeToCommit");
        t.put("count", ttc.size());
        t.put("p50Millis", ttc.isEmpty() ? null : ttc.get((ttc.size() - 1) / 2));
        t.put("p99Millis", ttc.isEmpty() ? null : ttc.get((int) Math.ceil(ttc.size() * 0.99) - 1));
        ArrayNode bins = t.putArray("bins");
        if (!ttc.isEmpty()) {
            long max = Math.max(1, ttc.get(ttc.size() - 1));
            long width = (max + BINS) / BINS;
            int[] counts = new int[BINS];
            ttc.forEach(v -> counts[(int) Math.min(BINS - 1, v / width)]++);
            for (int i = 0; i < BINS; i++) {
                bins.addObject().put("fromMillis", i * width).put("toMillis", (i + 1) * width).put("count", counts[i]);
            }
        }
        return o;
    }
}

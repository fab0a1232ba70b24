package dev.wasmota.oem.rxswin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.oem.audit.OemAuditTrail;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.release.ReleaseId;
import dev.wasmota.oem.release.ReleaseStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The OEM's software identification (UN R156 7.1.1, 7.2) in its database: the RXSWIN register
 * (per hardware id, which module versions make up each RXSWIN; an entry never changes once
 * defined), each release's stated RXSWIN change with its reason and module requirements, and each
 * vehicle's configuration as its last signed status stated it. Every statement is one audit
 * record ({@link AuditEvent#RXSWIN_STATED}) in the same transaction.
 */
public final class RxswinRegister {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CampaignDatabase db;
    private final OemAuditTrail trail;
    private final Clock clock;
    private final String actor;

    public RxswinRegister(CampaignDatabase db, OemAuditTrail trail, Clock clock, String actor) {
        this.db = Objects.requireNonNull(db, "db");
        this.trail = Objects.requireNonNull(trail, "trail");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.actor = Objects.requireNonNull(actor, "actor");
    }

    /**
     * Registers {@code id} for vehicles of {@code hardwareId} as exactly {@code modules}; defining
     * it again with the same modules changes nothing, with others is refused
     * ({@link RxswinFailure#RXSWIN_CONFLICT}): an approved identification never changes meaning.
     */
    public Rxswin define(String hardwareId, String id, Map<String, String> modules, String description) {
        Rxswin r = new Rxswin(hardwareId, id, new TreeMap<>(modules), description, clock.instant());
        return db.transaction(c -> {
            Optional<Rxswin> existing = find(c, hardwareId, id);
            if (existing.isPresent()) {
                if (!existing.get().modules().equals(r.modules())) {
                    throw new RejectedException(RxswinFailure.RXSWIN_CONFLICT, "RXSWIN " + id + " of hardware " + hardwareId
                            + " is registered as " + existing.get().modules() + ", not " + r.modules());
                }
                return existing.get();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO rxswin (hardware_id, rxswin, modules, description,"
                    + " defined_at) VALUES (?, ?, ?, ?, ?)")) {
                p.setString(1, hardwareId);
                p.setString(2, id);
                p.setString(3, modulesJson(r.modules()));
                p.setString(4, r.description());
                p.setObject(5, CampaignDatabase.time(r.definedAt()));
                p.executeUpdate();
            }
            trail.append(c, AuditRecord.builder(AuditEvent.RXSWIN_STATED).actor(actor).outcome(AuditRecord.Outcome.SUCCESS)
                    .detail(clip("RXSWIN " + id + " defined for hardware " + hardwareId + ": " + r.modules())).build());
            return r;
        });
    }

    /** The register, by hardware id and RXSWIN; of one hardware id if given. */
    public List<Rxswin> list(Optional<String> hardwareId) {
        return db.transaction(c -> query(c, hardwareId.isPresent() ? " WHERE hardware_id = ?" : "",
                hardwareId.orElse(null)));
    }

    /**
     * States what {@code release} (published, in {@code releases}) changes of the RXSWIN, replacing
     * an earlier statement. A change must name registered RXSWINs of one hardware id, and the new
     * one must hold the release's module at its version; refused otherwise.
     */
    public RxswinChange state(ReleaseStore releases, ReleaseId release, Optional<String> from, Optional<String> to,
                              String reason, List<Requirement> requires) {
        releases.get(release);
        RxswinChange ch = new RxswinChange(release, from, to, reason, requires, clock.instant());
        return db.transaction(c -> {
            if (ch.changes()) {
                checkAgainstRegister(c, ch);
            }
            try (PreparedStatement d = c.prepareStatement("DELETE FROM release_rxswin WHERE module_id = ? AND version = ?")) {
                d.setString(1, release.moduleId());
                d.setString(2, release.version());
                d.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO release_rxswin (module_id, version, from_rxswin,"
                    + " to_rxswin, reason, requires, stated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, release.moduleId());
                p.setString(2, release.version());
                p.setString(3, from.orElse(null));
                p.setString(4, to.orElse(null));
                p.setString(5, ch.reason());
                p.setString(6, requiresJson(ch.requires()));
                p.setObject(7, CampaignDatabase.time(ch.statedAt()));
                p.executeUpdate();
            }
            trail.append(c, AuditRecord.builder(AuditEvent.RXSWIN_STATED).actor(actor).outcome(AuditRecord.Outcome.SUCCESS)
                    .moduleId(release.moduleId()).toVersion(release.version())
                    .detail(clip("release " + release + " changes RXSWIN " + ch.summary() + " (" + ch.reason() + ")"
                            + (ch.requires().isEmpty() ? "" : "; requires " + ch.requires()))).build());
            return ch;
        });
    }

    /** What {@code release} was stated to change, if it was. */
    public Optional<RxswinChange> change(ReleaseId release) {
        return db.transaction(c -> change(c, release));
    }

    /** In the caller's transaction. */
    public static Optional<RxswinChange> change(Connection c, ReleaseId release) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT from_rxswin, to_rxswin, reason, requires, stated_at"
                + " FROM release_rxswin WHERE module_id = ? AND version = ?")) {
            p.setString(1, release.moduleId());
            p.setString(2, release.version());
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new RxswinChange(release, Optional.ofNullable(rs.getString(1)),
                        Optional.ofNullable(rs.getString(2)), rs.getString(3), parseRequires(rs.getString(4)),
                        CampaignDatabase.instant(rs, "stated_at")));
            }
        }
    }

    /**
     * Keeps {@code config} as the vehicle's last known configuration unless the OEM holds one
     * reported later (a redelivered older report changes nothing). A vehicle the OEM does not know
     * is ignored (its report is refused for its campaign anyway).
     */
    public void take(ReportedConfiguration config) {
        db.transaction(c -> {
            take(c, config);
            return null;
        });
    }

    /**
     * As {@link #take(ReportedConfiguration)}, in the caller's transaction (a status batch takes
     * it in the savepoint of its report, so a refused report leaves none behind).
     */
    public static void take(Connection c, ReportedConfiguration config) throws SQLException {
        if (!lockVehicle(c, config.vehicleId())) {
            return;
        }
        try (PreparedStatement q = c.prepareStatement("SELECT reported_at FROM vehicle_configuration WHERE vehicle_id = ?")) {
            q.setString(1, config.vehicleId());
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    if (CampaignDatabase.instant(rs, "reported_at").isAfter(config.reportedAt())) {
                        return;
                    }
                    try (PreparedStatement d = c.prepareStatement("DELETE FROM vehicle_configuration WHERE vehicle_id = ?")) {
                        d.setString(1, config.vehicleId());
                        d.executeUpdate();
                    }
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO vehicle_configuration (vehicle_id, rxswin, modules,"
                + " instruction_id, reported_at) VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, config.vehicleId());
            p.setString(2, config.rxswin().orElse(null));
            p.setString(3, configModulesJson(config.modules()));
            p.setString(4, config.instructionId());
            p.setObject(5, CampaignDatabase.time(config.reportedAt()));
            p.executeUpdate();
        }
    }

    /**
     * Locks the vehicle's row, so that two workers taking in reports of one vehicle at once write
     * its rows one after the other; false if the OEM does not know the vehicle.
     */
    public static boolean lockVehicle(Connection c, String vehicleId) throws SQLException {
        try (PreparedStatement k = c.prepareStatement("SELECT id FROM vehicle WHERE id = ? FOR UPDATE")) {
            k.setString(1, vehicleId);
            try (ResultSet rs = k.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The vehicle's last known configuration, if it reported one. */
    public Optional<ReportedConfiguration> configuration(String vehicleId) {
        return db.transaction(c -> configuration(c, vehicleId));
    }

    /** In the caller's transaction. */
    public static Optional<ReportedConfiguration> configuration(Connection c, String vehicleId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT vehicle_id, rxswin, modules, instruction_id, reported_at"
                + " FROM vehicle_configuration WHERE vehicle_id = ?")) {
            p.setString(1, vehicleId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(configuration(rs)) : Optional.empty();
            }
        }
    }

    /**
     * The last known configuration and hardware id of each vehicle a campaign installs to, in one
     * query (a start checks every vehicle of a campaign of any size); a vehicle that reported none
     * is absent from the configurations.
     */
    public static Map<String, String> hardwareOfInstalls(Connection c, String campaignId,
                                                        Map<String, ReportedConfiguration> configurations) throws SQLException {
        Map<String, String> hardware = new java.util.HashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT v.id, v.hardware_id, g.vehicle_id, g.rxswin, g.modules,"
                + " g.instruction_id, g.reported_at FROM campaign_action a JOIN vehicle v ON v.id = a.vehicle_id"
                + " LEFT JOIN vehicle_configuration g ON g.vehicle_id = a.vehicle_id"
                + " WHERE a.campaign_id = ? AND a.kind = 'INSTALL'")) {
            p.setString(1, campaignId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    hardware.put(rs.getString(1), rs.getString(2));
                    if (rs.getString(3) != null) {
                        configurations.put(rs.getString(1), configuration(rs));
                    }
                }
            }
        }
        return hardware;
    }

    private static ReportedConfiguration configuration(ResultSet rs) throws SQLException {
        SortedMap<String, ReportedConfiguration.Module> modules = new TreeMap<>();
        JsonNode n = read(rs.getString("modules"));
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            modules.put(e.getKey(), new ReportedConfiguration.Module(e.getValue().path("version").asText(),
                    e.getValue().path("packageSha256").asText()));
        }
        return new ReportedConfiguration(rs.getString("vehicle_id"), Optional.ofNullable(rs.getString("rxswin")), modules,
                rs.getString("instruction_id"), CampaignDatabase.instant(rs, "reported_at"));
    }

    /** The register entries of {@code hardwareId}, in the caller's transaction. */
    public static List<Rxswin> forHardware(Connection c, String hardwareId) throws SQLException {
        return query(c, " WHERE hardware_id = ?", hardwareId);
    }

    private static void checkAgainstRegister(Connection c, RxswinChange ch) throws SQLException {
        List<Rxswin> to = query(c, " WHERE rxswin = ?", ch.to().get());
        if (to.isEmpty()) {
            throw new RejectedException(RxswinFailure.UNKNOWN_RXSWIN, "RXSWIN " + ch.to().get() + " is not in the register;"
                    + " define it first (ota oem rxswin define)");
        }
        List<Rxswin> from = query(c, " WHERE rxswin = ?", ch.from().get());
        if (from.isEmpty()) {
            throw new RejectedException(RxswinFailure.UNKNOWN_RXSWIN, "RXSWIN " + ch.from().get() + " is not in the register;"
                    + " define it first (ota oem rxswin define)");
        }
        for (Rxswin t : to) {
            String v = t.modules().get(ch.release().moduleId());
            if (!ch.release().version().equals(v)) {
                throw new RejectedException(RxswinFailure.RXSWIN_MISMATCH, "RXSWIN " + t.id() + " of hardware "
                        + t.hardwareId() + " is made of " + t.modules() + ", not of release " + ch.release());
            }
            if (from.stream().noneMatch(f -> f.hardwareId().equals(t.hardwareId()))) {
                throw new RejectedException(RxswinFailure.RXSWIN_MISMATCH, "RXSWIN " + ch.from().get()
                        + " is not registered for hardware " + t.hardwareId() + " of RXSWIN " + t.id());
            }
        }
    }

    private static List<Rxswin> query(Connection c, String where, String param) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT hardware_id, rxswin, modules, description, defined_at FROM rxswin"
                + where + " ORDER BY hardware_id, rxswin")) {
            if (param != null) {
                p.setString(1, param);
            }
            List<Rxswin> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    SortedMap<String, String> modules = new TreeMap<>();
                    read(rs.getString(3)).fields().forEachRemaining(e -> modules.put(e.getKey(), e.getValue().asText()));
                    out.add(new Rxswin(rs.getString(1), rs.getString(2), modules, rs.getString(4),
                            CampaignDatabase.instant(rs, "defined_at")));
                }
            }
            return out;
        }
    }

    private static Optional<Rxswin> find(Connection c, String hardwareId, String id) throws SQLException {
        return forHardware(c, hardwareId).stream().filter(r -> r.id().equals(id)).findFirst();
    }

    static String modulesJson(SortedMap<String, String> modules) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        modules.forEach(o::put);
        return new String(CanonicalJson.bytes(o), StandardCharsets.UTF_8);
    }

    private static String configModulesJson(SortedMap<String, ReportedConfiguration.Module> modules) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        modules.forEach((m, v) -> o.putObject(m).put("version", v.version()).put("packageSha256", v.packageSha256()));
        return new String(CanonicalJson.bytes(o), StandardCharsets.UTF_8);
    }

    private static String requiresJson(List<Requirement> requires) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        requires.forEach(r -> a.addObject().put("moduleId", r.moduleId()).put("atLeast", r.atLeast()));
        return new String(CanonicalJson.bytes(a), StandardCharsets.UTF_8);
    }

    private static List<Requirement> parseRequires(String json) {
        List<Requirement> out = new ArrayList<>();
        read(json).forEach(n -> out.add(new Requirement(n.path("moduleId").asText(), n.path("atLeast").asText())));
        return out;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("RXSWIN tables: stored JSON unreadable", e);
        }
    }

    private static String clip(String s) {
        return s.length() > 480 ? s.substring(0, 480) + "..." : s;
    }
}

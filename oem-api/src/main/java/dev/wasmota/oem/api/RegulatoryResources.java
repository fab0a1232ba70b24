package dev.wasmota.oem.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.campaign.CampaignFailure;
import dev.wasmota.oem.record.CampaignNotices;
import dev.wasmota.oem.record.ReleaseRecords;
import dev.wasmota.oem.record.UpdateRecord;
import dev.wasmota.oem.release.ReleaseFailure;
import dev.wasmota.oem.release.ReleaseId;
import dev.wasmota.oem.rxswin.ReportedConfiguration;
import dev.wasmota.oem.rxswin.Requirement;
import dev.wasmota.oem.rxswin.Rxswin;
import dev.wasmota.oem.rxswin.RxswinChange;
import dev.wasmota.oem.rxswin.RxswinRegister;
import dev.wasmota.signing.instruction.UserNotice;
import dev.wasmota.signing.manifest.Manifest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The regulatory statements of issue 17 in the management API, each what its command does:
 * the RXSWIN register ({@code ota oem rxswin list|define}), a release's RXSWIN statement
 * ({@code ota oem rxswin release}), a vehicle's last known configuration ({@code ota oem rxswin
 * vehicle}), a campaign's user notice ({@code ota oem campaign notice}) and a release's own update
 * record ({@code ota oem release record}). Bodies are read strictly (an unknown field or a wrong
 * JSON type is refused naming the field); their values are then checked by the same OEM classes
 * the commands use, so a refusal carries the command's reason. Each statement runs as its caller.
 */
final class RegulatoryResources {
    /** The fields of an RXSWIN definition. */
    static final Map<String, String> DEFINE_FIELDS = Map.of("hardware", "string", "rxswin", "string",
            "modules", "object", "description", "string");
    /** The fields of a release's RXSWIN statement. */
    static final Map<String, String> CHANGE_FIELDS = Map.of("from", "string", "to", "string", "none", "boolean",
            "reason", "string", "requires", "array of strings");
    /** The fields of a campaign's user notice. */
    static final Map<String, String> NOTICE_FIELDS = Map.of("purpose", "string", "expectedSeconds", "integer",
            "unavailableFunctions", "array of strings");

    /** The fields of an update record ({@link UpdateRecord#FORMAT}), each with its JSON type; its values checked by {@link UpdateRecord#parse}. */
    static final Map<String, String> RECORD_FIELDS = Map.ofEntries(Map.entry("format", "string"), Map.entry("purpose", "string"),
            Map.entry("affectedSystems", "array of strings"), Map.entry("affectedFunctions", "array of strings"),
            Map.entry("typeApprovalRelevant", "boolean"), Map.entry("impactAssessment", "string"),
            Map.entry("authorityApprovalSought", "boolean"), Map.entry("authorityReference", "string"),
            Map.entry("executionMethod", "string"), Map.entry("executionConditions", "string"),
            Map.entry("safeExecutionConfirmed", "boolean"));

    private final ApiBackend oem;
    private final Clock clock;

    RegulatoryResources(ApiBackend oem, Clock clock) {
        this.oem = oem;
        this.clock = clock;
    }

    private RxswinRegister register(Caller who) {
        return new RxswinRegister(oem.db(), oem.trail(), clock, who.actor());
    }

    /** The register, by hardware id and RXSWIN, of one hardware id if {@code hardware} is given; paged. */
    ObjectNode list(Caller who, Object hardware, PageRequest page) {
        Optional<String> hw = hardware == null || hardware.toString().isEmpty() ? Optional.empty()
                : Optional.of(hardware.toString());
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode items = o.putArray("items");
        String last = null;
        boolean more = false;
        for (Rxswin r : register(who).list(hw)) {
            String key = key(r);
            if (page.after().isPresent() && key.compareTo(page.after().get()) <= 0) {
                continue;
            }
            if (items.size() == page.limit()) {
                more = true;
                break;
            }
            items.add(json(r));
            last = key;
        }
        o.put("next", more ? PageRequest.cursor(last) : null);
        return o;
    }

    /** The key a page of the register continues after: hardware ids and RXSWINs hold no space. */
    private static String key(Rxswin r) {
        return r.hardwareId() + " " + r.id();
    }

    /** Defines an RXSWIN: 201 when new, 200 when the same entry was registered already. */
    ApiRoutes.Reply define(Caller who, byte[] body) {
        JsonNode root = strict(body, DEFINE_FIELDS);
        String hardware = required(root, "hardware");
        String id = required(root, "rxswin");
        if (!root.has("modules")) {
            throw new FieldRejected(ApiFailure.MISSING_FIELD, "modules", "field 'modules' is required");
        }
        TreeMap<String, String> modules = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("modules").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new FieldRejected(ApiFailure.WRONG_TYPE, "modules", "field 'modules' must map each module id to its"
                        + " version (a string)");
            }
            modules.put(e.getKey(), e.getValue().asText());
        }
        RxswinRegister register = register(who);
        boolean existed = Manifest.HARDWARE_ID.matcher(hardware).matches() && register.list(Optional.of(hardware)).stream()
                .anyMatch(r -> r.id().equals(id));
        Rxswin r = register.define(hardware, id, modules, root.has("description") ? root.get("description").asText() : "");
        return new ApiRoutes.Reply(existed ? 200 : 201, json(r));
    }

    /** A release's RXSWIN statement, {@code rxswin} null when none is stated. */
    ObjectNode change(Caller who, String module, String version) {
        ReleaseId id = release(module, version);
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("release", id.toString());
        o.set("rxswin", register(who).change(id).<JsonNode>map(RegulatoryResources::json)
                .orElse(JsonNodeFactory.instance.nullNode()));
        return o;
    }

    /** States a release's RXSWIN change ({@code from} and {@code to}, or {@code none}), with its reason. */
    ObjectNode stateChange(Caller who, String module, String version, byte[] body) {
        ReleaseId id = release(module, version);
        JsonNode root = strict(body, CHANGE_FIELDS);
        boolean none = root.has("none") && root.get("none").booleanValue();
        boolean fromTo = root.has("from") || root.has("to");
        if (none && fromTo) {
            throw new FieldRejected(ApiFailure.INVALID_PARAMETER, "none", "give either 'from' and 'to', or 'none': true, not both");
        }
        if (!none && !fromTo) {
            throw new FieldRejected(ApiFailure.MISSING_FIELD, "from", "give 'from' and 'to', or 'none': true");
        }
        String reason = required(root, "reason");
        List<Requirement> requires = new ArrayList<>();
        for (String r : strings(root, "requires")) {
            requires.add(named("requires", () -> Requirement.parse(r)));
        }
        Optional<String> from = Optional.ofNullable(root.has("from") ? root.get("from").asText() : null);
        Optional<String> to = Optional.ofNullable(root.has("to") ? root.get("to").asText() : null);
        register(who).state(oem.releases(), id, from, to, reason, requires);
        return change(who, module, version);
    }

    /** A vehicle's last known configuration, {@code configuration} null before its first report of one. */
    ObjectNode configuration(Caller who, String vehicle) {
        boolean known = oem.db().transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id FROM vehicle WHERE id = ?")) {
                p.setString(1, vehicle);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next();
                }
            }
        });
        if (!known) {
            throw new RejectedException(CampaignFailure.UNKNOWN_VEHICLE, "vehicle " + PageRequest.clip(vehicle)
                    + " is not registered");
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("vehicle", vehicle);
        Optional<ReportedConfiguration> c = register(who).configuration(vehicle);
        if (c.isEmpty()) {
            o.putNull("configuration");
            return o;
        }
        ObjectNode g = o.putObject("configuration");
        g.put("rxswin", c.get().rxswin().orElse(null));
        ObjectNode m = g.putObject("modules");
        c.get().modules().forEach((k, v) -> m.putObject(k).put("version", v.version()).put("packageSha256", v.packageSha256()));
        g.put("instructionId", c.get().instructionId());
        g.put("reportedAt", c.get().reportedAt().toString());
        return o;
    }

    /** What a campaign's instructions tell the users, {@code notice} null when nothing is stated. */
    ObjectNode notice(Caller who, String campaign) {
        oem.campaignsAs().apply(who.actor()).get(campaign);
        return notice(campaign, notices(who).forCampaign(campaign));
    }

    /** States (replaces) a CREATED campaign's user notice; {@code purpose} absent takes the update record's. */
    ObjectNode stateNotice(Caller who, String campaign, byte[] body) {
        oem.campaignsAs().apply(who.actor()).get(campaign);
        JsonNode root = strict(body, NOTICE_FIELDS);
        Optional<String> purpose = Optional.ofNullable(root.has("purpose") ? root.get("purpose").asText() : null);
        long seconds = root.has("expectedSeconds") ? root.get("expectedSeconds").asLong() : 0;
        if (seconds < 0 || seconds > UserNotice.MAX_SECONDS) {
            throw new FieldRejected(ApiFailure.INVALID_PARAMETER, "expectedSeconds", "field 'expectedSeconds' must be within"
                    + " 0.." + UserNotice.MAX_SECONDS);
        }
        List<String> unavailable = strings(root, "unavailableFunctions");
        Optional<UserNotice> n = notices(who).state(campaign, purpose, Duration.ofSeconds(seconds), unavailable);
        return notice(campaign, n);
    }

    private CampaignNotices notices(Caller who) {
        return new CampaignNotices(oem.db(), oem.trail(), clock, who.actor());
    }

    private static ObjectNode notice(String campaign, Optional<UserNotice> n) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("campaign", campaign);
        o.set("notice", n.<JsonNode>map(UserNotice::toJson).orElse(JsonNodeFactory.instance.nullNode()));
        o.put("text", n.map(UserNotice::text).orElse(null));
        return o;
    }

    /** A release's own update record, {@code record} null when none is stated. */
    ObjectNode record(Caller who, String module, String version) {
        ReleaseId id = release(module, version);
        return record(id, records(who).find(id));
    }

    /** States (replaces) a release's own update record; the body is the record file's format. */
    ObjectNode stateRecord(Caller who, String module, String version, byte[] body) {
        ReleaseId id = release(module, version);
        strict(body, RECORD_FIELDS);
        UpdateRecord r = UpdateRecord.parse(body);
        return record(id, Optional.of(records(who).state(oem.releases(), id, r)));
    }

    private ReleaseRecords records(Caller who) {
        return new ReleaseRecords(oem.db(), oem.trail(), clock, who.actor());
    }

    private static ObjectNode record(ReleaseId id, Optional<ReleaseRecords.Stored> s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("release", id.toString());
        if (s.isEmpty()) {
            o.putNull("record");
            o.putNull("sha256");
            o.putNull("statedAt");
            o.putNull("missing");
            return o;
        }
        o.set("record", s.get().record().toJson());
        o.put("sha256", s.get().sha256());
        o.put("statedAt", s.get().statedAt().toString());
        ArrayNode m = o.putArray("missing");
        s.get().record().missing().forEach(m::add);
        return o;
    }

    /** The release of a path, published; refused as unknown otherwise (also when the path is no release id). */
    private ReleaseId release(String module, String version) {
        ReleaseId id;
        try {
            id = new ReleaseId(module, version);
        } catch (IllegalArgumentException e) {
            throw new RejectedException(ReleaseFailure.UNKNOWN_RELEASE, "no release " + PageRequest.clip(module + "@"
                    + version) + " is published");
        }
        oem.releases().get(id);
        return id;
    }

    static ObjectNode json(Rxswin r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("hardware", r.hardwareId());
        o.put("rxswin", r.id());
        ObjectNode m = o.putObject("modules");
        r.modules().forEach(m::put);
        o.put("description", r.description());
        o.put("definedAt", r.definedAt().toString());
        return o;
    }

    static ObjectNode json(RxswinChange ch) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("changes", ch.changes());
        o.put("from", ch.from().orElse(null));
        o.put("to", ch.to().orElse(null));
        o.put("reason", ch.reason());
        ArrayNode a = o.putArray("requires");
        ch.requires().forEach(r -> a.add(r.toString()));
        o.put("summary", ch.summary());
        o.put("statedAt", ch.statedAt().toString());
        return o;
    }

    /**
     * {@code body} as one JSON object of only {@code fields}, each of its JSON type (a record's field
     * may also be null, which its file format reads as absent).
     */
    static JsonNode strict(byte[] body, Map<String, String> fields) {
        JsonNode root = CampaignRequest.object(body);
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            String type = fields.get(name);
            if (type == null) {
                throw new FieldRejected(ApiFailure.UNKNOWN_FIELD, name, "field '" + PageRequest.clip(name)
                        + "' is not one of " + new TreeSet<>(fields.keySet()));
            }
            JsonNode v = root.get(name);
            boolean ok = fields == RECORD_FIELDS && v.isNull() || switch (type) {
                case "string" -> v.isTextual();
                case "object" -> v.isObject();
                case "boolean" -> v.isBoolean();
                case "integer" -> v.isIntegralNumber() && v.canConvertToLong();
                case "array of strings" -> v.isArray();
                default -> false;
            };
            if (!ok) {
                throw new FieldRejected(ApiFailure.WRONG_TYPE, name, "field '" + name + "' must be " + type + ", not "
                        + v.getNodeType().name().toLowerCase());
            }
        }
        return root;
    }

    private static String required(JsonNode root, String name) {
        if (!root.has(name)) {
            throw new FieldRejected(ApiFailure.MISSING_FIELD, name, "field '" + name + "' is required");
        }
        return root.get(name).asText();
    }

    private static List<String> strings(JsonNode root, String name) {
        List<String> out = new ArrayList<>();
        if (!root.has(name)) {
            return out;
        }
        for (JsonNode v : root.get(name)) {
            if (!v.isTextual()) {
                throw new FieldRejected(ApiFailure.WRONG_TYPE, name, "field '" + name + "' must be an array of strings");
            }
            out.add(v.asText());
        }
        return out;
    }

    /** Runs {@code f}, naming {@code field} in a refusal of its value. */
    private static <T> T named(String field, java.util.function.Supplier<T> f) {
        try {
            return f.get();
        } catch (FieldRejected e) {
            throw e;
        } catch (RejectedException e) {
            throw new FieldRejected(e.reason(), field, e.getMessage());
        }
    }
}

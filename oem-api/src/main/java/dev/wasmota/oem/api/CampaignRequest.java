package dev.wasmota.oem.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.StrictJson;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.HealthGate;
import dev.wasmota.oem.campaign.RolloutOptions;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.release.ReleaseId;
import dev.wasmota.signing.instruction.ShadowDelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The body of a campaign creation, read strictly: one JSON object of the fields below and no
 * other, each of its JSON type, so a typo or a number sent as text is refused naming the field
 * instead of being ignored. The values are then checked as {@code ota oem campaign create} checks
 * its options.
 */
public final class CampaignRequest {
    /** The fields a creation takes, each with its JSON type. */
    public static final Map<String, String> FIELDS = Map.ofEntries(Map.entry("id", "string"), Map.entry("release", "string"),
            Map.entry("vehicles", "array of strings"), Map.entry("hardware", "string"), Map.entry("waves", "string"),
            Map.entry("advanceAt", "integer"), Map.entry("stopAt", "integer"), Map.entry("validitySeconds", "integer"),
            Map.entry("holdSeconds", "integer"), Map.entry("shadow", "object"), Map.entry("health", "object"));
    private static final Set<String> OBJECTS = Set.of("shadow", "health");
    private static final Set<String> INTEGERS = Set.of("advanceAt", "stopAt", "validitySeconds", "holdSeconds");
    /** A body: one JSON object, read strictly; what is not one is refused as {@link ApiFailure#MALFORMED_JSON}. */
    private static final StrictJson<FieldRejected> BODY = StrictJson
            .builder((problem, field, detail) -> new FieldRejected(ApiFailure.MALFORMED_JSON, "body", detail))
            .notJson((where, e) -> e instanceof JsonProcessingException p
                    ? "the body is not JSON: " + PageRequest.clip(p.getOriginalMessage()) : "the body cannot be read")
            .rootNotObject(where -> "the body is not one JSON object")
            .build();
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private CampaignRequest() {
    }

    /** Parses and checks {@code body} into a campaign spec; refuses naming the field. */
    public static CampaignSpec parse(byte[] body) {
        JsonNode root = object(body);
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.containsKey(name)) {
                throw new FieldRejected(ApiFailure.UNKNOWN_FIELD, name, "field '" + PageRequest.clip(name)
                        + "' is not one of " + new java.util.TreeSet<>(FIELDS.keySet()));
            }
            JsonNode v = root.get(name);
            boolean ok = INTEGERS.contains(name) ? v.isIntegralNumber() && v.canConvertToInt()
                    : OBJECTS.contains(name) ? v.isObject() : name.equals("vehicles") ? v.isArray() : v.isTextual();
            if (!ok) {
                throw new FieldRejected(ApiFailure.WRONG_TYPE, name, "field '" + name + "' must be " + FIELDS.get(name)
                        + ", not " + v.getNodeType().name().toLowerCase());
            }
        }
        ReleaseId release = field(root, "release", ReleaseId::parse);
        WavePlan waves = field(root, "waves", WavePlan::parse);
        Targets targets = targets(root);
        CampaignSpec.Builder b = CampaignSpec.builder(release, targets, waves);
        if (root.has("id")) {
            b.id(root.get("id").asText());
        }
        if (root.has("advanceAt")) {
            b.advanceAt(root.get("advanceAt").asInt());
        }
        if (root.has("stopAt")) {
            b.stopAt(root.get("stopAt").asInt());
        }
        if (root.has("validitySeconds")) {
            b.validity(Duration.ofSeconds(root.get("validitySeconds").asInt()));
        }
        if (root.has("holdSeconds")) {
            b.hold(Duration.ofSeconds(root.get("holdSeconds").asInt()));
        }
        return b.build().validate();
    }

    /**
     * The campaign's rollout options in a body {@link #parse} accepted: {@code shadow}, the shadow
     * run each vehicle makes first, in the instruction's form ({@code ticks}, {@code maxDisagreementPpm},
     * {@code maxFaults}, {@code tolerances}: {@code canId}, {@code absolute}, {@code relativePpm}), and
     * {@code health}, the runtime-health gate ({@code p99MarginPercent}, and optionally
     * {@code baselineWorstUs} (0 or absent: the intake's worst), {@code maxDeadlineMisses},
     * {@code maxTraps}); refused naming the field.
     */
    public static RolloutOptions rollout(byte[] body) {
        JsonNode root = object(body);
        RolloutOptions o = RolloutOptions.NONE;
        if (root.has("shadow")) {
            try {
                o = RolloutOptions.shadow(ShadowDelivery.fromJson(root.get("shadow")));
            } catch (RejectedException e) {
                throw new FieldRejected(ApiFailure.INVALID_PARAMETER, "shadow", e.getMessage());
            }
        }
        if (root.has("health")) {
            o = o.withHealth(health(root.get("health")));
        }
        return o;
    }

    private static final Set<String> HEALTH_FIELDS = Set.of("baselineWorstUs", "p99MarginPercent", "maxDeadlineMisses",
            "maxTraps");

    private static HealthGate health(JsonNode h) {
        for (Iterator<String> names = h.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!HEALTH_FIELDS.contains(name) || !h.get(name).isIntegralNumber() || !h.get(name).canConvertToLong()) {
                throw new FieldRejected(ApiFailure.INVALID_PARAMETER, "health", "field 'health." + PageRequest.clip(name)
                        + "' is not one of " + new java.util.TreeSet<>(HEALTH_FIELDS) + " with an integer value");
            }
        }
        if (!h.has("p99MarginPercent") || !h.get("p99MarginPercent").canConvertToInt()) {
            throw new FieldRejected(ApiFailure.MISSING_FIELD, "health", "field 'health.p99MarginPercent' is required");
        }
        try {
            return new HealthGate(h.path("baselineWorstUs").asLong(0), h.get("p99MarginPercent").asInt(),
                    h.path("maxDeadlineMisses").asLong(0), h.path("maxTraps").asLong(0));
        } catch (IllegalArgumentException e) {
            throw new FieldRejected(ApiFailure.INVALID_PARAMETER, "health", e.getMessage());
        }
    }

    /** {@code body} as one JSON object; refused ({@link ApiFailure#MALFORMED_JSON}) otherwise. */
    static JsonNode object(byte[] body) {
        return BODY.read(body == null ? new byte[0] : body, "body").node();
    }

    private static Targets targets(JsonNode root) {
        if (root.has("vehicles") == root.has("hardware")) {
            throw new FieldRejected(ApiFailure.MISSING_FIELD, "vehicles", "give exactly one of 'vehicles' and 'hardware'");
        }
        if (root.has("hardware")) {
            return field(root, "hardware", Targets::hardware);
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode v : root.get("vehicles")) {
            if (!v.isTextual()) {
                throw new FieldRejected(ApiFailure.WRONG_TYPE, "vehicles", "field 'vehicles' must be an array of strings");
            }
            ids.add(v.asText());
        }
        try {
            return Targets.vehicles(ids);
        } catch (RejectedException e) {
            throw new FieldRejected(e.reason(), "vehicles", e.getMessage());
        }
    }

    private static <T> T field(JsonNode root, String name, Function<String, T> parse) {
        if (!root.has(name)) {
            throw new FieldRejected(ApiFailure.MISSING_FIELD, name, "field '" + name + "' is required");
        }
        try {
            return parse.apply(root.get(name).asText());
        } catch (RejectedException e) {
            throw new FieldRejected(e.reason(), name, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new FieldRejected(ApiFailure.INVALID_PARAMETER, name, e.getMessage());
        }
    }
}

package dev.wasmota.oem.evidence;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The security events in the OEM's audit trail, counted by kind per vehicle and for the fleet (UN
 * R155 monitoring): every {@code SECURITY_EVENT}, every dead-lettered message and every refused
 * step (outcome {@code REFUSED}, e.g. a status report with the wrong nonce). The kind is the
 * record's cause (its reason's name), else its event; the vehicle is the sender of a refused status
 * report or the vehicle of a dead letter's topic, else {@value #FLEET_ONLY}.
 */
public final class SecurityEvents {
    /** The vehicle of an event that names none (e.g. an intake refusal). */
    public static final String FLEET_ONLY = "-";
    /** Where a record names its vehicle: a refused status report's sender, a dead letter's topic. */
    private static final List<Pattern> VEHICLE = List.of(
            Pattern.compile("from vehicle ([A-Za-z0-9][A-Za-z0-9._-]{0,63})"),
            Pattern.compile("/vehicle/([A-Za-z0-9][A-Za-z0-9._-]{0,63})/"));

    /** One event: the OEM record's seq, event, kind, vehicle and detail. */
    public record Event(long seq, String time, String event, String kind, String vehicle, String campaign, String detail) {
    }

    private final List<Event> events;

    private SecurityEvents(List<Event> events) {
        this.events = List.copyOf(events);
    }

    /** The security events among {@code records}. */
    public static SecurityEvents of(List<AuditRecord> records) {
        List<Event> out = new ArrayList<>();
        for (AuditRecord r : records) {
            if (isSecurityEvent(r)) {
                out.add(new Event(r.seq(), String.valueOf(r.time()), r.event().name(), kind(r), vehicle(r),
                        r.campaignId() == null ? "" : r.campaignId(), r.detail() == null ? "" : r.detail()));
            }
        }
        return new SecurityEvents(out);
    }

    /** Whether {@code r} reports a security event. */
    public static boolean isSecurityEvent(AuditRecord r) {
        return r.event() == AuditEvent.SECURITY_EVENT || r.event() == AuditEvent.MESSAGE_DEAD_LETTERED
                || r.outcome() == AuditRecord.Outcome.REFUSED;
    }

    static String kind(AuditRecord r) {
        return r.cause() != null && !r.cause().isBlank() ? r.cause() : r.event().name();
    }

    static String vehicle(AuditRecord r) {
        if (r.detail() != null) {
            for (Pattern p : VEHICLE) {
                Matcher m = p.matcher(r.detail());
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        return FLEET_ONLY;
    }

    /** Only the events of campaign {@code id} or of one of {@code vehicles}. */
    public SecurityEvents concerning(String id, java.util.Set<String> vehicles) {
        return new SecurityEvents(events.stream().filter(e -> e.campaign().equals(id) || vehicles.contains(e.vehicle()))
                .toList());
    }

    public List<Event> events() {
        return events;
    }

    /** Events by kind for the whole fleet. */
    public Map<String, Integer> fleet() {
        Map<String, Integer> m = new TreeMap<>();
        events.forEach(e -> m.merge(e.kind(), 1, Integer::sum));
        return m;
    }

    /** Events by kind, per vehicle ({@value #FLEET_ONLY} for those naming none). */
    public Map<String, Map<String, Integer>> byVehicle() {
        Map<String, Map<String, Integer>> m = new TreeMap<>();
        events.forEach(e -> m.computeIfAbsent(e.vehicle(), v -> new TreeMap<>()).merge(e.kind(), 1, Integer::sum));
        return m;
    }

    /** {@code {"fleet": {kind: n}, "vehicles": {vehicle: {kind: n}}, "events": [...]}}. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ObjectNode fleet = o.putObject("fleet");
        fleet().forEach(fleet::put);
        ObjectNode vehicles = o.putObject("vehicles");
        byVehicle().forEach((v, kinds) -> {
            ObjectNode k = vehicles.putObject(v);
            kinds.forEach(k::put);
        });
        ArrayNode list = o.putArray("events");
        for (Event e : events) {
            ObjectNode n = list.addObject();
            n.put("seq", e.seq());
            n.put("time", e.time());
            n.put("event", e.event());
            n.put("kind", e.kind());
            n.put("vehicle", e.vehicle());
            n.put("campaign", e.campaign());
            n.put("detail", e.detail());
        }
        return o;
    }

    /** Recounts the events of a {@link #toJson()} tree; empty when the counts it states agree. */
    static Optional<String> recount(com.fasterxml.jackson.databind.JsonNode tree) {
        Map<String, Integer> fleet = new TreeMap<>();
        Map<String, Map<String, Integer>> vehicles = new TreeMap<>();
        for (com.fasterxml.jackson.databind.JsonNode e : tree.path("events")) {
            fleet.merge(e.path("kind").asText(), 1, Integer::sum);
            vehicles.computeIfAbsent(e.path("vehicle").asText(), v -> new TreeMap<>()).merge(e.path("kind").asText(), 1, Integer::sum);
        }
        ObjectNode want = JsonNodeFactory.instance.objectNode();
        ObjectNode f = want.putObject("fleet");
        fleet.forEach(f::put);
        ObjectNode vs = want.putObject("vehicles");
        vehicles.forEach((v, kinds) -> {
            ObjectNode k = vs.putObject(v);
            kinds.forEach(k::put);
        });
        if (!want.get("fleet").equals(tree.path("fleet")) || !want.get("vehicles").equals(tree.path("vehicles"))) {
            return Optional.of("security-events.json: the counts by kind differ from its events");
        }
        return Optional.empty();
    }
}

package dev.wasmota.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.json.StrictJson;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The JSON line form of an {@link AuditRecord}: strict decoding, canonical encoding, hashing. */
final class AuditCodec {
    static final String GENESIS_HASH = "0".repeat(64);

    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> FIELDS = Set.of("seq", "time", "event", "moduleId", "fromVersion",
            "toVersion", "fromWasmSha256", "toWasmSha256", "securityVersion", "campaignId", "instructionId",
            "verifications", "preconditions", "outcome", "cause", "detail", "actor", "prevHash", "hash");
    private static final StrictJson<MalformedRecordException> JSON = StrictJson
            .builder((problem, field, detail) -> new MalformedRecordException(detail))
            .notJson((where, e) -> "not JSON: " + StrictJson.firstLine(e.getMessage()))
            .rootNotObject(where -> "not a JSON object")
            .notString((where, field) -> field + " must be a string")
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AuditCodec() {}

    /** Thrown when a line is not a well-formed sealed audit record. */
    static final class MalformedRecordException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedRecordException(String message) {
            super(message);
        }
    }

    /** The canonical bytes of a sealed record, without the newline. */
    static byte[] line(AuditRecord sealed) {
        return canonical(toJson(sealed));
    }

    /** Hex SHA-256 of the canonical JSON of {@code record} without its {@code hash} field. */
    static String hashOf(AuditRecord record) {
        ObjectNode json = toJson(record);
        json.remove("hash");
        return sha256Hex(canonical(json));
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** Parses one line into a sealed record, refusing anything but the exact form {@link #line} writes. */
    static AuditRecord decodeLine(byte[] line) throws MalformedRecordException {
        return fromJson(JSON.read(line, "audit record").known(FIELDS));
    }

    static ObjectNode toJson(AuditRecord r) {
        ObjectNode o = NODES.objectNode();
        if (r.seq() > 0) {
            o.put("seq", r.seq());
        }
        putText(o, "time", r.time() == null ? null : r.time().toString());
        o.put("event", r.event().name());
        putText(o, "moduleId", r.moduleId());
        putText(o, "fromVersion", r.fromVersion());
        putText(o, "toVersion", r.toVersion());
        putText(o, "fromWasmSha256", r.fromWasmSha256());
        putText(o, "toWasmSha256", r.toWasmSha256());
        if (r.securityVersion() != null) {
            o.put("securityVersion", r.securityVersion().longValue());
        }
        putText(o, "campaignId", r.campaignId());
        putText(o, "instructionId", r.instructionId());
        putMap(o, "verifications", r.verifications());
        putMap(o, "preconditions", r.preconditions());
        putText(o, "outcome", r.outcome() == null ? null : r.outcome().name());
        putText(o, "cause", r.cause());
        putText(o, "detail", r.detail());
        putText(o, "actor", r.actor());
        putText(o, "prevHash", r.prevHash());
        putText(o, "hash", r.hash());
        return o;
    }

    private static AuditRecord fromJson(StrictJson<MalformedRecordException>.Obj o) throws MalformedRecordException {
        JsonNode seq = o.get("seq");
        if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < 1) {
            throw new MalformedRecordException("seq must be a positive integer");
        }
        JsonNode sv = o.get("securityVersion");
        if (sv != null && (!sv.isIntegralNumber() || !sv.canConvertToLong() || sv.longValue() < 0)) {
            throw new MalformedRecordException("securityVersion must be a non-negative integer");
        }
        return new AuditRecord(
                seq.longValue(),
                instant(requiredText(o, "time")),
                enumValue(AuditEvent.class, requiredText(o, "event"), "event"),
                text(o, "moduleId"),
                text(o, "fromVersion"),
                text(o, "toVersion"),
                text(o, "fromWasmSha256"),
                text(o, "toWasmSha256"),
                sv == null ? null : sv.longValue(),
                text(o, "campaignId"),
                text(o, "instructionId"),
                map(o, "verifications"),
                map(o, "preconditions"),
                o.has("outcome") ? enumValue(AuditRecord.Outcome.class, text(o, "outcome"), "outcome") : null,
                text(o, "cause"),
                text(o, "detail"),
                text(o, "actor"),
                sha256Field(o, "prevHash"),
                sha256Field(o, "hash"));
    }

    /** The one place that turns a JSON tree into the bytes that are hashed and written (RFC 8785). */
    private static byte[] canonical(JsonNode node) {
        return dev.wasmota.contract.json.CanonicalJson.bytes(node);
    }

    private static void putText(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    private static void putMap(ObjectNode o, String name, Map<String, String> map) {
        if (!map.isEmpty()) {
            ObjectNode m = o.putObject(name);
            map.forEach(m::put);
        }
    }

    private static String text(StrictJson<MalformedRecordException>.Obj o, String name) throws MalformedRecordException {
        return o.optionalText(name).orElse(null);
    }

    private static String requiredText(StrictJson<MalformedRecordException>.Obj o, String name)
            throws MalformedRecordException {
        if (!o.has(name)) {
            throw new MalformedRecordException(name + " is missing");
        }
        return o.text(name);
    }

    private static String sha256Field(StrictJson<MalformedRecordException>.Obj o, String name) throws MalformedRecordException {
        String value = requiredText(o, name);
        if (!HEX_SHA256.matcher(value).matches()) {
            throw new MalformedRecordException(name + " must be 64 lowercase hex digits");
        }
        return value;
    }

    private static Instant instant(String text) throws MalformedRecordException {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new MalformedRecordException("time is not an ISO-8601 UTC instant: " + text);
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String text, String name)
            throws MalformedRecordException {
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("unknown " + name + " '" + text + "'");
        }
    }

    private static Map<String, String> map(StrictJson<MalformedRecordException>.Obj o, String name) throws MalformedRecordException {
        JsonNode v = o.get(name);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            throw new MalformedRecordException(name + " must be an object of strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()) {
                throw new MalformedRecordException(name + "." + e.getKey() + " must be a string");
            }
            map.put(e.getKey(), e.getValue().textValue());
        }
        return map;
    }

}

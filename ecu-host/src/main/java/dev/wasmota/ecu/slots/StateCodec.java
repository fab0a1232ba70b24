package dev.wasmota.ecu.slots;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** The JSON of {@code state.json}, {@code slot.json} and {@code floor.json}, decoded strictly. */
final class StateCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private StateCodec() {}

    /** Thrown when a file is not what it should be; the message says which field. */
    static final class MalformedStateException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedStateException(String message) {
            super(message);
        }
    }

    static byte[] encodeState(ModuleState state) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("moduleId", state.moduleId());
        o.put("active", state.active().name());
        o.put("previous", state.previous() == null ? null : state.previous().name());
        ObjectNode slots = o.putObject("slots");
        state.slots().forEach((slot, meta) -> slots.set(slot.name(), metadata(meta)));
        return write(o);
    }

    static ModuleState decodeState(byte[] json, String moduleId) throws MalformedStateException {
        JsonNode o = parse(json, Set.of("moduleId", "active", "previous", "slots"));
        requireModule(o, moduleId);
        Slot active = slot(text(o, "active"));
        JsonNode prev = o.get("previous");
        Slot previous = prev == null || prev.isNull() ? null : slot(text(o, "previous"));
        JsonNode slotsNode = object(o, "slots");
        Map<Slot, SlotMetadata> slots = new EnumMap<>(Slot.class);
        for (Map.Entry<String, JsonNode> e : slotsNode.properties()) {
            slots.put(slot(e.getKey()), metadata(e.getValue()));
        }
        try {
            return new ModuleState(moduleId, active, previous, slots);
        } catch (IllegalArgumentException e) {
            throw new MalformedStateException(e.getMessage());
        }
    }

    static byte[] encodeStaged(String moduleId, Slot slot, SlotMetadata meta) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("moduleId", moduleId);
        o.put("slot", slot.name());
        o.set("metadata", metadata(meta));
        return write(o);
    }

    static SlotMetadata decodeStaged(byte[] json, String moduleId, Slot slot) throws MalformedStateException {
        JsonNode o = parse(json, Set.of("moduleId", "slot", "metadata"));
        requireModule(o, moduleId);
        if (slot(text(o, "slot")) != slot) {
            throw new MalformedStateException("slot.json belongs to slot " + text(o, "slot"));
        }
        return metadata(object(o, "metadata"));
    }

    static byte[] encodeFloor(String moduleId, long floor) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("moduleId", moduleId);
        o.put("securityVersionFloor", floor);
        return write(o);
    }

    static long decodeFloor(byte[] json, String moduleId) throws MalformedStateException {
        JsonNode o = parse(json, Set.of("moduleId", "securityVersionFloor"));
        requireModule(o, moduleId);
        return nonNegativeLong(o, "securityVersionFloor");
    }

    private static ObjectNode metadata(SlotMetadata m) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("version", m.version());
        o.put("securityVersion", m.securityVersion());
        o.put("wasmSha256", m.wasmSha256());
        o.put("packageSha256", m.packageSha256());
        o.put("installedAt", m.installedAt().toString());
        return o;
    }

    private static SlotMetadata metadata(JsonNode node) throws MalformedStateException {
        Set<String> fields = Set.of("version", "securityVersion", "wasmSha256", "packageSha256", "installedAt");
        requireFields(node, fields);
        try {
            return new SlotMetadata(text(node, "version"), nonNegativeLong(node, "securityVersion"),
                    text(node, "wasmSha256"), text(node, "packageSha256"), Instant.parse(text(node, "installedAt")));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new MalformedStateException("slot metadata: " + e.getMessage());
        }
    }

    private static JsonNode parse(byte[] json, Set<String> fields) throws MalformedStateException {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new MalformedStateException("not JSON");
        }
        requireFields(node, fields);
        return node;
    }

    private static void requireFields(JsonNode node, Set<String> fields) throws MalformedStateException {
        if (node == null || !node.isObject()) {
            throw new MalformedStateException("not a JSON object");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!fields.contains(e.getKey())) {
                throw new MalformedStateException("unknown field '" + e.getKey() + "'");
            }
        }
    }

    private static void requireModule(JsonNode o, String moduleId) throws MalformedStateException {
        String found = text(o, "moduleId");
        if (!moduleId.equals(found)) {
            throw new MalformedStateException("file belongs to module '" + found + "', not '" + moduleId + "'");
        }
    }

    private static String text(JsonNode o, String name) throws MalformedStateException {
        JsonNode v = o.get(name);
        if (v == null || !v.isTextual()) {
            throw new MalformedStateException(name + " must be a string");
        }
        return v.textValue();
    }

    private static JsonNode object(JsonNode o, String name) throws MalformedStateException {
        JsonNode v = o.get(name);
        if (v == null || !v.isObject()) {
            throw new MalformedStateException(name + " must be an object");
        }
        return v;
    }

    private static long nonNegativeLong(JsonNode o, String name) throws MalformedStateException {
        JsonNode v = o.get(name);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw new MalformedStateException(name + " must be a non-negative integer");
        }
        return v.longValue();
    }

    private static Slot slot(String name) throws MalformedStateException {
        try {
            return Slot.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new MalformedStateException("unknown slot '" + name + "'");
        }
    }

    private static byte[] write(ObjectNode o) {
        try {
            return (MAPPER.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

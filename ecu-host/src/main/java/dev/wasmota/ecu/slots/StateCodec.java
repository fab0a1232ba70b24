package dev.wasmota.ecu.slots;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.json.StrictJson;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** The JSON of {@code state.json}, {@code slot.json} and {@code floor.json}, decoded strictly. */
final class StateCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final StrictJson<MalformedStateException> JSON = StrictJson
            .builder((problem, field, detail) -> new MalformedStateException(detail))
            .notJson((where, e) -> "not JSON")
            .rootNotObject(where -> "not a JSON object")
            .notObject(where -> "not a JSON object")
            .notString((where, field) -> field + " must be a string")
            .notInteger((where, field) -> field + " must be a non-negative integer")
            .fieldNotObject((where, field) -> field + " must be an object")
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
        StrictJson<MalformedStateException>.Obj o = JSON.read(json, "state.json").known(Set.of("moduleId", "active",
                "previous", "slots"));
        requireModule(o, moduleId);
        Slot active = slot(o.text("active"));
        JsonNode prev = o.get("previous");
        Slot previous = prev == null || prev.isNull() ? null : slot(o.text("previous"));
        Map<Slot, SlotMetadata> slots = new EnumMap<>(Slot.class);
        for (Map.Entry<String, JsonNode> e : o.object("slots", "slots").node().properties()) {
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
        StrictJson<MalformedStateException>.Obj o = JSON.read(json, "slot.json").known(Set.of("moduleId", "slot",
                "metadata"));
        requireModule(o, moduleId);
        if (slot(o.text("slot")) != slot) {
            throw new MalformedStateException("slot.json belongs to slot " + o.text("slot"));
        }
        return metadata(o.object("metadata", "metadata").node());
    }

    static byte[] encodeFloor(String moduleId, long floor) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("moduleId", moduleId);
        o.put("securityVersionFloor", floor);
        return write(o);
    }

    static long decodeFloor(byte[] json, String moduleId) throws MalformedStateException {
        StrictJson<MalformedStateException>.Obj o = JSON.read(json, "floor.json").known(Set.of("moduleId",
                "securityVersionFloor"));
        requireModule(o, moduleId);
        return o.integer("securityVersionFloor", 0, Long.MAX_VALUE);
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
        StrictJson<MalformedStateException>.Obj m = JSON.object(node, "slot metadata").known(Set.of("version",
                "securityVersion", "wasmSha256", "packageSha256", "installedAt"));
        try {
            return new SlotMetadata(m.text("version"), m.integer("securityVersion", 0, Long.MAX_VALUE),
                    m.text("wasmSha256"), m.text("packageSha256"), Instant.parse(m.text("installedAt")));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new MalformedStateException("slot metadata: " + e.getMessage());
        }
    }

    private static void requireModule(StrictJson<MalformedStateException>.Obj o, String moduleId)
            throws MalformedStateException {
        String found = o.text("moduleId");
        if (!moduleId.equals(found)) {
            throw new MalformedStateException("file belongs to module '" + found + "', not '" + moduleId + "'");
        }
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

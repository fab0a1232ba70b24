package dev.wasmota.oem.owner;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The owner registry file, {@value #FORMAT}: RFC 8785 canonical JSON,
 * {@code {"format":..., "modules":[{moduleId, supplierId, since, highestSecurityVersion, transfers:[...]}]}},
 * each transfer {@code {from, to, minSecurityVersion, at, reason, signature}}. Parsing refuses
 * unknown or missing fields, duplicates and values out of range.
 */
final class OwnerRegistryCodec {
    static final String FORMAT = "wasmota-module-owners/1";
    /** Largest registry accepted, checked before parsing. */
    static final long MAX_BYTES = 16L * 1024 * 1024;

    private static final Set<String> MODULE_FIELDS = Set.of("moduleId", "supplierId", "since", "highestSecurityVersion",
            "transfers");
    private static final Set<String> TRANSFER_FIELDS = Set.of("from", "to", "minSecurityVersion", "at", "reason",
            "signature");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private OwnerRegistryCodec() {
    }

    static byte[] bytes(List<ModuleOwnership> modules) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", FORMAT);
        ArrayNode list = root.putArray("modules");
        for (ModuleOwnership m : modules) {
            ObjectNode o = list.addObject();
            o.put("moduleId", m.moduleId());
            o.put("supplierId", m.supplierId());
            o.put("since", m.since().toString());
            o.put("highestSecurityVersion", m.highestSecurityVersion());
            ArrayNode transfers = o.putArray("transfers");
            for (ModuleTransfer t : m.transfers()) {
                ObjectNode x = transfers.addObject();
                x.put("from", t.from());
                x.put("to", t.to());
                x.put("minSecurityVersion", t.minSecurityVersion());
                x.put("at", t.at().toString());
                x.put("reason", t.reason());
                x.put("signature", t.signature());
            }
        }
        return CanonicalJson.bytes(root);
    }

    static List<ModuleOwnership> parse(byte[] bytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw bad("not JSON");
        }
        if (root == null || !root.isObject() || root.size() != 2 || !FORMAT.equals(text(root, "format", "the registry"))
                || !root.path("modules").isArray()) {
            throw bad("not a " + FORMAT + " object with exactly 'format' and 'modules'");
        }
        List<ModuleOwnership> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode n : root.get("modules")) {
            ModuleOwnership m = module(n, "module #" + out.size());
            if (!seen.add(m.moduleId())) {
                throw bad("module " + m.moduleId() + " listed twice");
            }
            out.add(m);
        }
        return out;
    }

    private static ModuleOwnership module(JsonNode n, String where) {
        requireFields(n, MODULE_FIELDS, where);
        String moduleId = text(n, "moduleId", where);
        List<ModuleTransfer> transfers = new ArrayList<>();
        if (!n.get("transfers").isArray()) {
            throw bad(where + ": 'transfers' is not a list");
        }
        for (JsonNode t : n.get("transfers")) {
            transfers.add(transfer(moduleId, t, where + " transfer #" + transfers.size()));
        }
        try {
            return new ModuleOwnership(moduleId, text(n, "supplierId", where), instant(n, "since", where),
                    number(n, "highestSecurityVersion", where), transfers);
        } catch (IllegalArgumentException e) {
            throw bad(where + ": " + e.getMessage());
        }
    }

    private static ModuleTransfer transfer(String moduleId, JsonNode n, String where) {
        requireFields(n, TRANSFER_FIELDS, where);
        try {
            return new ModuleTransfer(moduleId, text(n, "from", where), text(n, "to", where),
                    number(n, "minSecurityVersion", where), instant(n, "at", where), text(n, "reason", where),
                    text(n, "signature", where));
        } catch (IllegalArgumentException e) {
            throw bad(where + ": " + e.getMessage());
        }
    }

    private static void requireFields(JsonNode n, Set<String> fields, String where) {
        if (!n.isObject() || n.size() != fields.size()) {
            throw bad(where + " is not an object with exactly " + fields);
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw bad(where + " has unknown field '" + f + "'");
            }
        }
    }

    private static long number(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw bad(where + ": '" + field + "' is not an integer");
        }
        return v.longValue();
    }

    private static Instant instant(JsonNode n, String field, String where) {
        try {
            return Instant.parse(text(n, field, where));
        } catch (DateTimeParseException e) {
            throw bad(where + ": '" + field + "' is not an ISO-8601 UTC time");
        }
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw bad(where + ": '" + field + "' is missing or not a string");
        }
        return v.textValue();
    }

    private static RejectedException bad(String detail) {
        return new RejectedException(OwnershipFailure.MALFORMED_OWNER_REGISTRY, "module owner registry: " + detail);
    }
}

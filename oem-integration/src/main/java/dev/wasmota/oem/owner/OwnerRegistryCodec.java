package dev.wasmota.oem.owner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.contract.json.StrictJson;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

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
    private static final StrictJson<RejectedException> JSON = StrictJson.refusing(
                    OwnershipFailure.MALFORMED_OWNER_REGISTRY, "module owner registry: ")
            .notJson((where, e) -> "not JSON")
            .unknownField((where, field) -> where + " has unknown field '" + field + "'")
            .notString((where, field) -> where + ": '" + field + "' is missing or not a string")
            .notInteger((where, field) -> where + ": '" + field + "' is not an integer")
            .notTime((where, field) -> where + ": '" + field + "' is not an ISO-8601 UTC time")
            .notArray((where, field) -> where + ": '" + field + "' is not a list")
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
        JsonNode root = JSON.tree(bytes, "module owner registry");
        if (root == null || !root.isObject() || root.size() != 2
                || !FORMAT.equals(JSON.object(root, "the registry").text("format"))
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

    private static ModuleOwnership module(JsonNode node, String where) {
        StrictJson<RejectedException>.Obj n = exactly(node, MODULE_FIELDS, where);
        String moduleId = n.text("moduleId");
        List<ModuleTransfer> transfers = new ArrayList<>();
        for (JsonNode t : n.array("transfers", Integer.MAX_VALUE)) {
            transfers.add(transfer(moduleId, t, where + " transfer #" + transfers.size()));
        }
        try {
            return new ModuleOwnership(moduleId, n.text("supplierId"), n.time("since"), n.integer("highestSecurityVersion"),
                    transfers);
        } catch (IllegalArgumentException e) {
            throw bad(where + ": " + e.getMessage());
        }
    }

    private static ModuleTransfer transfer(String moduleId, JsonNode node, String where) {
        StrictJson<RejectedException>.Obj n = exactly(node, TRANSFER_FIELDS, where);
        try {
            return new ModuleTransfer(moduleId, n.text("from"), n.text("to"), n.integer("minSecurityVersion"), n.time("at"),
                    n.text("reason"), n.text("signature"));
        } catch (IllegalArgumentException e) {
            throw bad(where + ": " + e.getMessage());
        }
    }

    /** {@code n} as an object of exactly {@code fields}, all present and no other. */
    private static StrictJson<RejectedException>.Obj exactly(JsonNode n, Set<String> fields, String where) {
        if (!n.isObject() || n.size() != fields.size()) {
            throw bad(where + " is not an object with exactly " + new TreeSet<>(fields));
        }
        return JSON.object(n, where).known(fields);
    }

    private static RejectedException bad(String detail) {
        return new RejectedException(OwnershipFailure.MALFORMED_OWNER_REGISTRY, "module owner registry: " + detail);
    }
}

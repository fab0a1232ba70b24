package dev.wasmota.protocol.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.contract.json.StrictJson;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.manifest.Manifest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OEM asking a vehicle, on its update topic ({@value #KIND}, beside {@code WOTU} and
 * {@code WOTT}), to send again its status report for instructions the OEM has not counted an
 * answer for: one lost while no worker listened, or refused for a cause since fixed. One part,
 * canonical JSON of format {@value #FORMAT}: the vehicle and at most {@value #MAX_INSTRUCTIONS}
 * instruction ids. It carries no authority: the vehicle only repeats, signed with its key, what it
 * already reported, and never more often than its resend interval, so it is not signed.
 *
 * @param vehicleId the vehicle asked
 * @param instructionIds the instructions it is asked about, in order, no repeats
 */
public record StatusRequest(String vehicleId, List<String> instructionIds) {
    public static final String KIND = "WOTQ";
    public static final String FORMAT = "wasmota-status-request/1";
    public static final int MAX_INSTRUCTIONS = 64;
    /** The largest JSON part: 64 ids of 64 characters, quoted and separated, with the rest. */
    public static final int MAX_BYTES = 8 * 1024;
    private static final Set<String> FIELDS = Set.of("format", "vehicleId", "instructions");
    private static final StrictJson<RejectedException> JSON = StrictJson.refusing(RouteFailure.MALFORMED_MESSAGE,
                    "malformed " + KIND + " status request: ")
            .notJson((where, e) -> "not JSON").rootNotObject(where -> "not a JSON object").build();

    public StatusRequest {
        if (vehicleId == null || !Manifest.HARDWARE_ID.matcher(vehicleId).matches()) {
            throw bad("vehicle id '" + vehicleId + "' is not " + Manifest.HARDWARE_ID.pattern());
        }
        if (instructionIds == null || instructionIds.isEmpty() || instructionIds.size() > MAX_INSTRUCTIONS) {
            throw bad("a status request names 1 to " + MAX_INSTRUCTIONS + " instructions, not "
                    + (instructionIds == null ? 0 : instructionIds.size()));
        }
        for (String id : instructionIds) {
            if (id == null || !Instruction.INSTRUCTION_ID.matcher(id).matches()) {
                throw bad("instruction id '" + id + "' is not " + Instruction.INSTRUCTION_ID.pattern());
            }
        }
        if (new LinkedHashSet<>(instructionIds).size() != instructionIds.size()) {
            throw bad("a status request names an instruction twice");
        }
        instructionIds = List.copyOf(instructionIds);
    }

    public byte[] encode() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        o.put("vehicleId", vehicleId);
        ArrayNode ids = o.putArray("instructions");
        instructionIds.forEach(ids::add);
        return Frames.encode(KIND, CanonicalJson.bytes(o));
    }

    /** Decodes a status request; refused as malformed or oversized with a one-line reason. */
    public static StatusRequest decode(byte[] payload) {
        byte[] json = Frames.decode(payload, KIND, 1, MAX_BYTES).get(0);
        JsonNode root = JSON.read(json, "status request").node();
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        if (!names.equals(FIELDS)) {
            throw bad("fields " + names + "; expected " + new TreeSet<>(FIELDS));
        }
        if (!root.get("format").isTextual() || !FORMAT.equals(root.get("format").asText())) {
            throw bad("format is not " + FORMAT);
        }
        if (!root.get("vehicleId").isTextual() || !root.get("instructions").isArray()) {
            throw bad("vehicleId must be a string and instructions an array");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode n : root.get("instructions")) {
            if (!n.isTextual()) {
                throw bad("instruction ids must be strings");
            }
            ids.add(n.asText());
        }
        StatusRequest r = new StatusRequest(root.get("vehicleId").asText(), ids);
        if (!CanonicalJson.isCanonical(json, root)) {
            throw bad("not canonical JSON");
        }
        return r;
    }

    /** Whether {@code payload} is tagged as a status request (its four-byte kind), before any decoding. */
    public static boolean isStatusRequest(byte[] payload) {
        return payload != null && payload.length >= 4 && payload[0] == 'W' && payload[1] == 'O' && payload[2] == 'T'
                && payload[3] == 'Q';
    }

    private static RejectedException bad(String why) {
        return new RejectedException(RouteFailure.MALFORMED_MESSAGE, "malformed " + KIND + " status request: " + why);
    }
}

package dev.wasmota.signing.instruction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.StrictJson;
import dev.wasmota.signing.error.InstructionFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An instruction's optional request to run the package as a shadow beside the active version
 * first (issue 19): promoted after {@code ticks} compared ticks with at most
 * {@code maxDisagreementPpm} of them disagreeing and at most {@code maxFaults} faults, else
 * discarded; writes compared exactly, or per CAN signal within its tolerance. Integers only (the
 * instruction is canonical JSON): shares in parts per million.
 *
 * @param ticks compared ticks before the decision, 1..{@link #MAX_TICKS}
 * @param maxDisagreementPpm share of compared ticks that may disagree, 0..1,000,000
 * @param maxFaults the shadow's own faults tolerated, 0..{@link #MAX_TICKS}
 * @param tolerances per CAN signal, at most {@link #MAX_TOLERANCES}
 */
public record ShadowDelivery(long ticks, long maxDisagreementPpm, long maxFaults, List<Tolerance> tolerances) {
    public static final long MAX_TICKS = 100_000_000L;
    public static final int MAX_TOLERANCES = 64;
    public static final long PPM = 1_000_000L;
    private static final Set<String> FIELDS = Set.of("ticks", "maxDisagreementPpm", "maxFaults", "tolerances");
    private static final Set<String> TOLERANCE_FIELDS = Set.of("canId", "absolute", "relativePpm");
    private static final StrictJson<RejectedException> JSON = StrictJson.refusing(InstructionFailure.MALFORMED_INSTRUCTION,
                    "instruction field invalid: ")
            .unknownField((where, field) -> where + " has an unknown field '" + field + "'")
            .missingFields((where, missing, expected) -> where + " lacks one of " + expected)
            .notInteger((where, field) -> "'" + field + "' is not a non-negative integer")
            .notArray((where, field) -> "'shadow." + field + "' is not a list of at most " + MAX_TOLERANCES)
            .build();

    /**
     * A CAN signal's bound: agrees when {@code |a - s| <= absolute} or {@code <= relativePpm / 1e6 * |a|}.
     *
     * @param canId 0..0x1fffffff
     * @param absolute 0..2^53-1
     * @param relativePpm 0..1,000,000
     */
    public record Tolerance(int canId, long absolute, long relativePpm) {
        public Tolerance {
            require(canId >= 0 && canId <= 0x1FFF_FFFF, "shadow tolerance CAN id " + canId);
            require(absolute >= 0 && absolute <= (1L << 53) - 1, "shadow tolerance absolute bound " + absolute);
            require(relativePpm >= 0 && relativePpm <= PPM, "shadow tolerance relative bound " + relativePpm + " ppm");
        }
    }

    public ShadowDelivery {
        require(ticks >= 1 && ticks <= MAX_TICKS, "shadow ticks " + ticks);
        require(maxDisagreementPpm >= 0 && maxDisagreementPpm <= PPM, "shadow disagreement threshold " + maxDisagreementPpm
                + " ppm");
        require(maxFaults >= 0 && maxFaults <= MAX_TICKS, "shadow fault threshold " + maxFaults);
        tolerances = List.copyOf(tolerances);
        require(tolerances.size() <= MAX_TOLERANCES, "more than " + MAX_TOLERANCES + " shadow tolerances");
        require(tolerances.stream().map(Tolerance::canId).distinct().count() == tolerances.size(),
                "a CAN id with two shadow tolerances");
    }

    /** The canonical JSON object. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("ticks", ticks);
        o.put("maxDisagreementPpm", maxDisagreementPpm);
        o.put("maxFaults", maxFaults);
        ArrayNode list = o.putArray("tolerances");
        for (Tolerance t : tolerances) {
            ObjectNode n = list.addObject();
            n.put("canId", t.canId());
            n.put("absolute", t.absolute());
            n.put("relativePpm", t.relativePpm());
        }
        return o;
    }

    /** Parses the object; refuses ({@link InstructionFailure#MALFORMED_INSTRUCTION}) anything else, naming the field. */
    public static ShadowDelivery fromJson(JsonNode node) {
        StrictJson<RejectedException>.Obj o = JSON.object(node, "'shadow'").fields(FIELDS);
        List<Tolerance> tolerances = new ArrayList<>();
        for (JsonNode n : o.array("tolerances", MAX_TOLERANCES)) {
            StrictJson<RejectedException>.Obj t = JSON.object(n, "a shadow tolerance").fields(TOLERANCE_FIELDS);
            long id = t.integer("canId", 0, Long.MAX_VALUE);
            require(id <= 0x1FFF_FFFF, "shadow tolerance CAN id " + id);
            tolerances.add(new Tolerance((int) id, t.integer("absolute", 0, Long.MAX_VALUE),
                    t.integer("relativePpm", 0, Long.MAX_VALUE)));
        }
        return new ShadowDelivery(o.integer("ticks", 0, Long.MAX_VALUE), o.integer("maxDisagreementPpm", 0, Long.MAX_VALUE),
                o.integer("maxFaults", 0, Long.MAX_VALUE), tolerances);
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new RejectedException(InstructionFailure.MALFORMED_INSTRUCTION, "instruction field invalid: " + what);
        }
    }
}

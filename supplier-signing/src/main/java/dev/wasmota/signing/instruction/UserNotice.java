package dev.wasmota.signing.instruction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.StrictJson;
import dev.wasmota.signing.error.InstructionFailure;
import java.util.List;
import java.util.Set;

/**
 * What the vehicle's user is told before an update (UN R156 7.1.2, issue 17), signed in the
 * instruction: its purpose, how long it is expected to take, and which functions are unavailable
 * meanwhile. The vehicle shows it (its HMI; the simulated one records it) before activation, and
 * reports that it did and what it told the user after.
 *
 * @param purpose why the update is made, at most {@value #MAX_TEXT} characters
 * @param expectedSeconds how long it is expected to take, 0 if not stated
 * @param unavailableFunctions the functions unavailable during the update, at most {@value #MAX_FUNCTIONS}
 */
public record UserNotice(String purpose, long expectedSeconds, List<String> unavailableFunctions) {
    public static final int MAX_TEXT = 240;
    public static final int MAX_FUNCTIONS = 8;
    public static final int MAX_FUNCTION_TEXT = 80;
    public static final long MAX_SECONDS = 7 * 24 * 3600;
    private static final Set<String> FIELDS = Set.of("purpose", "expectedSeconds", "unavailableFunctions");
    private static final String SHAPE = "notice is not {purpose, expectedSeconds, unavailableFunctions}";
    private static final StrictJson<RejectedException> JSON = StrictJson.refusing(InstructionFailure.MALFORMED_INSTRUCTION,
                    "instruction field invalid: ")
            .notObject(where -> SHAPE)
            .unknownField((where, field) -> "notice has an unknown field")
            .notString((where, field) -> "notice " + field + " is not text")
            .notInteger((where, field) -> "notice " + field + " is not an integer")
            .notArray((where, field) -> "notice " + field + " is not a list of at most " + MAX_FUNCTIONS)
            .build();

    public UserNotice {
        require(purpose != null && !purpose.isBlank() && purpose.length() <= MAX_TEXT && oneLine(purpose),
                "notice purpose (one line, 1.." + MAX_TEXT + " characters)");
        require(expectedSeconds >= 0 && expectedSeconds <= MAX_SECONDS, "notice expectedSeconds " + expectedSeconds);
        unavailableFunctions = List.copyOf(unavailableFunctions);
        require(unavailableFunctions.size() <= MAX_FUNCTIONS, "notice names over " + MAX_FUNCTIONS + " functions");
        for (String f : unavailableFunctions) {
            require(!f.isBlank() && f.length() <= MAX_FUNCTION_TEXT && oneLine(f), "notice function (one line, 1.."
                    + MAX_FUNCTION_TEXT + " characters)");
        }
    }

    /** The text the user is shown before, one line. */
    public String text() {
        return "Update: " + purpose + (expectedSeconds > 0 ? "; takes about " + minutes() + " min" : "")
                + (unavailableFunctions.isEmpty() ? "" : "; unavailable meanwhile: " + String.join(", ", unavailableFunctions));
    }

    private long minutes() {
        return Math.max(1, (expectedSeconds + 59) / 60);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("purpose", purpose);
        o.put("expectedSeconds", expectedSeconds);
        ArrayNode a = o.putArray("unavailableFunctions");
        unavailableFunctions.forEach(a::add);
        return o;
    }

    public static UserNotice fromJson(JsonNode node) {
        StrictJson<RejectedException>.Obj n = JSON.object(node, "notice");
        require(node.size() == FIELDS.size(), SHAPE);
        n.known(FIELDS);
        String purpose = n.text("purpose");
        long seconds = n.integer("expectedSeconds");
        List<String> fs = new java.util.ArrayList<>();
        for (JsonNode f : n.array("unavailableFunctions", MAX_FUNCTIONS)) {
            require(f.isTextual(), "notice function is not text");
            fs.add(f.textValue());
        }
        return new UserNotice(purpose, seconds, fs);
    }

    private static boolean oneLine(String s) {
        return s.chars().noneMatch(Character::isISOControl);
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new RejectedException(InstructionFailure.MALFORMED_INSTRUCTION, "instruction field invalid: " + what);
        }
    }
}

package dev.wasmota.protocol.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * That the vehicle showed its user the instruction's notice before the update, and what it told
 * the user after (issue 17), as its signed status report states it.
 *
 * @param shownAt when the notice was shown (the vehicle's clock)
 * @param outcome the one line the user was told after, at most {@value #MAX_OUTCOME} characters
 */
public record NoticeShown(Instant shownAt, String outcome) {
    public static final int MAX_OUTCOME = 240;

    public NoticeShown {
        Objects.requireNonNull(shownAt, "shownAt");
        if (outcome == null || outcome.isEmpty() || outcome.length() > MAX_OUTCOME
                || outcome.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("notice outcome is not one line of 1.." + MAX_OUTCOME + " characters");
        }
    }

    public ObjectNode toJson() {
        return JsonNodeFactory.instance.objectNode().put("shownAt", shownAt.toString()).put("outcome", outcome);
    }

    public static NoticeShown fromJson(JsonNode n) {
        if (n == null || !n.isObject() || n.size() != 2 || !n.path("shownAt").isTextual() || !n.path("outcome").isTextual()) {
            throw new IllegalArgumentException("notice is not {shownAt, outcome}");
        }
        String at = n.get("shownAt").textValue();
        Instant t = Instant.parse(at);
        if (!t.toString().equals(at)) {
            throw new IllegalArgumentException("notice shownAt is not an ISO-8601 UTC instant in its shortest form");
        }
        return new NoticeShown(t, n.get("outcome").textValue());
    }
}

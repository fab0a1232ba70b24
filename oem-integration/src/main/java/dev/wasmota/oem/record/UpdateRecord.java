package dev.wasmota.oem.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.contract.json.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The update record UN R156 §7.1.2 asks an OEM to keep for each update, as the operator states it
 * for a campaign (format {@value #FORMAT}): why, what it touches, whether that is type-approval
 * relevant, the impact assessment, whether an authority's approval was sought, how and under which
 * conditions it is executed, and the confirmation that it runs safely. The V&V evidence is not
 * stated: it is the release's intake report, which the OEM holds ({@link UpdateRecords}).
 *
 * <p>Parsing refuses what is not the format (exit 4); a record may still lack fields, which
 * {@link #missing()} names, so a draft can be stored and completed before the campaign starts.
 *
 * @param purpose why the update is made
 * @param affectedSystems the vehicle systems it changes
 * @param affectedFunctions the functions of those systems it changes
 * @param typeApprovalRelevant whether any of them is relevant to the vehicle's type approval
 * @param impactAssessment what the update's effect on those systems and functions was assessed to be
 * @param authorityApprovalSought whether the approval authority was asked to approve it
 * @param authorityReference the authority's reference, required when its approval was sought
 * @param executionMethod how it is executed (e.g. over the air, vehicle stationary, at the next start)
 * @param executionConditions the conditions under which it may be executed
 * @param safeExecutionConfirmed the confirmation that it can be executed safely; must be {@code true}
 */
public record UpdateRecord(Optional<String> purpose, List<String> affectedSystems, List<String> affectedFunctions,
        Optional<Boolean> typeApprovalRelevant, Optional<String> impactAssessment, Optional<Boolean> authorityApprovalSought,
        Optional<String> authorityReference, Optional<String> executionMethod, Optional<String> executionConditions,
        Optional<Boolean> safeExecutionConfirmed) {
    public static final String FORMAT = "wasmota-update-record/1";
    /** Largest record file read. */
    public static final int MAX_BYTES = 64 * 1024;
    /** Longest text of one field. */
    public static final int MAX_TEXT = 4000;
    /** Most systems or functions named. */
    public static final int MAX_ITEMS = 64;
    /** Strict like the API's reading of a record: a duplicate key or trailing content is refused (which of two values would count is not guessed). */
    private static final StrictJson<RejectedException> JSON = StrictJson.refusing(RecordFailure.MALFORMED_RECORD,
                    "update record: ")
            .maxBytes(MAX_BYTES)
            .tooLarge((where, size, max) -> "record of " + size + " bytes exceeds the " + max + "-byte limit")
            .notJson((where, e) -> "not JSON (" + firstLine(e.getMessage()) + ")")
            .rootNotObject(where -> "not a JSON object")
            .unknownField((where, field) -> "unknown field '" + clip(field) + "'")
            .build();
    private static final Set<String> FIELDS = Set.of("format", "purpose", "affectedSystems", "affectedFunctions",
            "typeApprovalRelevant", "impactAssessment", "authorityApprovalSought", "authorityReference", "executionMethod",
            "executionConditions", "safeExecutionConfirmed");

    public UpdateRecord {
        Objects.requireNonNull(purpose, "purpose");
        affectedSystems = List.copyOf(affectedSystems);
        affectedFunctions = List.copyOf(affectedFunctions);
        Objects.requireNonNull(typeApprovalRelevant, "typeApprovalRelevant");
        Objects.requireNonNull(impactAssessment, "impactAssessment");
        Objects.requireNonNull(authorityApprovalSought, "authorityApprovalSought");
        Objects.requireNonNull(authorityReference, "authorityReference");
        Objects.requireNonNull(executionMethod, "executionMethod");
        Objects.requireNonNull(executionConditions, "executionConditions");
        Objects.requireNonNull(safeExecutionConfirmed, "safeExecutionConfirmed");
    }

    /**
     * Each field the record lacks before its campaign may start, as {@code field: why}, in the
     * order of the format; empty when it is complete.
     */
    public List<String> missing() {
        List<String> m = new ArrayList<>();
        if (purpose.isEmpty()) {
            m.add("purpose: not stated");
        }
        if (affectedSystems.isEmpty()) {
            m.add("affectedSystems: no system named");
        }
        if (affectedFunctions.isEmpty()) {
            m.add("affectedFunctions: no function named");
        }
        if (typeApprovalRelevant.isEmpty()) {
            m.add("typeApprovalRelevant: not stated (true or false)");
        }
        if (impactAssessment.isEmpty()) {
            m.add("impactAssessment: not stated");
        }
        if (authorityApprovalSought.isEmpty()) {
            m.add("authorityApprovalSought: not stated (true or false)");
        } else if (authorityApprovalSought.get() && authorityReference.isEmpty()) {
            m.add("authorityReference: approval was sought but the authority's reference is not given");
        }
        if (executionMethod.isEmpty()) {
            m.add("executionMethod: not stated");
        }
        if (executionConditions.isEmpty()) {
            m.add("executionConditions: not stated");
        }
        if (safeExecutionConfirmed.isEmpty()) {
            m.add("safeExecutionConfirmed: not stated");
        } else if (!safeExecutionConfirmed.get()) {
            m.add("safeExecutionConfirmed: false; the update may not run until it is confirmed to run safely");
        }
        return m;
    }

    /**
     * This record over {@code base} (issue 17: a campaign's record over its release's): each field
     * this record states, else {@code base}'s.
     */
    public UpdateRecord over(UpdateRecord base) {
        return new UpdateRecord(purpose.or(base::purpose), affectedSystems.isEmpty() ? base.affectedSystems : affectedSystems,
                affectedFunctions.isEmpty() ? base.affectedFunctions : affectedFunctions,
                typeApprovalRelevant.or(base::typeApprovalRelevant), impactAssessment.or(base::impactAssessment),
                authorityApprovalSought.or(base::authorityApprovalSought), authorityReference.or(base::authorityReference),
                executionMethod.or(base::executionMethod), executionConditions.or(base::executionConditions),
                safeExecutionConfirmed.or(base::safeExecutionConfirmed));
    }

    /** The record as canonical JSON (RFC 8785), absent fields left out. */
    public byte[] canonicalBytes() {
        return CanonicalJson.bytes(toJson());
    }

    /** The record as a JSON object, absent fields left out. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("format", FORMAT);
        purpose.ifPresent(v -> o.put("purpose", v));
        list(o, "affectedSystems", affectedSystems);
        list(o, "affectedFunctions", affectedFunctions);
        typeApprovalRelevant.ifPresent(v -> o.put("typeApprovalRelevant", v));
        impactAssessment.ifPresent(v -> o.put("impactAssessment", v));
        authorityApprovalSought.ifPresent(v -> o.put("authorityApprovalSought", v));
        authorityReference.ifPresent(v -> o.put("authorityReference", v));
        executionMethod.ifPresent(v -> o.put("executionMethod", v));
        executionConditions.ifPresent(v -> o.put("executionConditions", v));
        safeExecutionConfirmed.ifPresent(v -> o.put("safeExecutionConfirmed", v));
        return o;
    }

    private static void list(ObjectNode o, String name, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode a = o.putArray(name);
            values.forEach(a::add);
        }
    }

    /**
     * Parses a record file's bytes: a JSON object of format {@value #FORMAT} with only the
     * record's fields, each of its type and within its bound; blank text counts as absent.
     *
     * @throws RejectedException {@link RecordFailure#MALFORMED_RECORD} naming the first problem
     */
    public static UpdateRecord parse(byte[] bytes) {
        JsonNode root = JSON.read(bytes, "update record").known(FIELDS).node();
        if (!root.path("format").isTextual() || !FORMAT.equals(root.get("format").asText())) {
            throw malformed("format is not " + FORMAT);
        }
        return new UpdateRecord(text(root, "purpose"), items(root, "affectedSystems"), items(root, "affectedFunctions"),
                bool(root, "typeApprovalRelevant"), text(root, "impactAssessment"), bool(root, "authorityApprovalSought"),
                text(root, "authorityReference"), text(root, "executionMethod"), text(root, "executionConditions"),
                bool(root, "safeExecutionConfirmed"));
    }

    private static Optional<String> text(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw malformed(name + " is not text");
        }
        String s = n.asText().strip();
        if (s.length() > MAX_TEXT) {
            throw malformed(name + " is longer than " + MAX_TEXT + " characters");
        }
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static List<String> items(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray() || n.size() > MAX_ITEMS) {
            throw malformed(name + " is not a list of at most " + MAX_ITEMS + " names");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual() || e.asText().isBlank() || e.asText().length() > 200) {
                throw malformed(name + " holds an entry that is not a name of 1..200 characters");
            }
            out.add(e.asText().strip());
        }
        return out;
    }

    private static Optional<Boolean> bool(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isBoolean()) {
            throw malformed(name + " is not true or false");
        }
        return Optional.of(n.booleanValue());
    }

    private static RejectedException malformed(String detail) {
        return new RejectedException(RecordFailure.MALFORMED_RECORD, "update record: " + detail);
    }

    private static String firstLine(String s) {
        String line = s == null ? "" : s.lines().findFirst().orElse("");
        return clip(line);
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}

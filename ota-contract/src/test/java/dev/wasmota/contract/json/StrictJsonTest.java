package dev.wasmota.contract.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class StrictJsonTest {
    private enum TestFailure implements Reason {
        MALFORMED_THING;

        @Override
        public ExitCode exitCode() {
            return ExitCode.POLICY;
        }
    }

    private static final Set<String> REQUIRED = Set.of("format", "count", "when");
    private static final Set<String> OPTIONAL = Set.of("note");
    private static final StrictJson<RejectedException> JSON = StrictJson.refusing(TestFailure.MALFORMED_THING)
            .maxBytes(256).maxNestingDepth(3).build();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String refusal(Executable e) {
        RejectedException r = assertThrows(RejectedException.class, e);
        assertSame(TestFailure.MALFORMED_THING, r.reason());
        assertEquals(ExitCode.POLICY, r.exitCode());
        return r.getMessage();
    }

    @Test
    void readsRequiredAndOptionalFieldsOfEachType() {
        var o = JSON.read(utf8("{\"format\":\"f/1\",\"count\":42,\"when\":\"2026-01-02T03:04:05Z\",\"note\":\"n\","
                + "\"flag\":true,\"list\":[1,2],\"inner\":{\"a\":\"b\"}}"), "thing");
        assertEquals("f/1", o.text("format"));
        assertEquals(42, o.integer("count"));
        assertEquals(42, o.integer("count", 0, 42));
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), o.time("when"));
        assertEquals(Optional.of("n"), o.optionalText("note"));
        assertEquals(Optional.empty(), o.optionalText("absent"));
        assertTrue(o.bool("flag"));
        assertEquals(2, o.array("list", 2).size());
        assertEquals("b", o.object("inner", "inner").fields(Set.of("a")).text("a"));
    }

    @Test
    void refusesADuplicateKeyAtTheTopAndNested() {
        assertEquals("thing is not JSON", refusal(() -> JSON.read(utf8("{\"count\":1,\"count\":2}"), "thing")));
        assertEquals("thing is not JSON", refusal(() -> JSON.read(utf8("{\"inner\":{\"a\":1,\"a\":1}}"), "thing")));
    }

    @Test
    void refusesTrailingContentAndWhatIsNotAnObject() {
        assertEquals("thing is not JSON", refusal(() -> JSON.read(utf8("{} {}"), "thing")));
        assertEquals("thing is not JSON", refusal(() -> JSON.read(utf8("{\"a\":"), "thing")));
        assertEquals("thing is not a JSON object", refusal(() -> JSON.read(utf8("[1]"), "thing")));
        assertEquals("thing is not a JSON object", refusal(() -> JSON.read(new byte[0], "thing")));
        assertEquals("item is not an object", refusal(() -> JSON.object(JSON.tree(utf8("[1]"), "list").get(0), "item")));
    }

    @Test
    void refusesTheFirstUnknownFieldInDocumentOrder() {
        String doc = "{\"format\":\"f\",\"zeta\":1,\"alpha\":2,\"count\":1,\"when\":\"2026-01-02T03:04:05Z\"}";
        assertEquals("unknown field 'zeta'", refusal(() -> JSON.read(utf8(doc), "thing").fields(REQUIRED, OPTIONAL)));
        assertEquals("unknown field 'zeta'", refusal(() -> JSON.read(utf8(doc), "thing").known(REQUIRED, OPTIONAL)));
    }

    @Test
    void refusesMissingRequiredFieldsNamingThemSorted() {
        assertEquals("missing fields [count, when]",
                refusal(() -> JSON.read(utf8("{\"format\":\"f\",\"note\":\"n\"}"), "thing").fields(REQUIRED, OPTIONAL)));
        JSON.read(utf8("{\"note\":\"n\"}"), "thing").known(REQUIRED, OPTIONAL);
    }

    @Test
    void refusesAValueOfTheWrongType() {
        var o = JSON.read(utf8("{\"s\":1,\"n\":\"1\",\"f\":1.5,\"big\":18446744073709551616,\"b\":\"true\",\"t\":\"soon\","
                + "\"l\":{},\"o\":[],\"x\":null}"), "thing");
        assertEquals("'s' is not a string", refusal(() -> o.text("s")));
        assertEquals("'x' is not a string", refusal(() -> o.text("x")));
        assertEquals("'absent' is not a string", refusal(() -> o.text("absent")));
        assertEquals("'n' is not an integer", refusal(() -> o.integer("n")));
        assertEquals("'f' is not an integer", refusal(() -> o.integer("f")));
        assertEquals("'big' is not an integer", refusal(() -> o.integer("big")));
        assertEquals("'b' is not true or false", refusal(() -> o.bool("b")));
        assertEquals("'t' is not an ISO-8601 UTC time", refusal(() -> o.time("t")));
        assertEquals("'l' is not a list", refusal(() -> o.array("l", 10)));
        assertEquals("'o' is not an object", refusal(() -> o.object("o", "o")));
    }

    @Test
    void refusesValuesOutOfTheirBounds() {
        var o = JSON.read(utf8("{\"n\":-1,\"l\":[1,2,3]}"), "thing");
        assertEquals("'n' is not an integer", refusal(() -> o.integer("n", 0, 10)));
        assertEquals("'l' is not a list", refusal(() -> o.array("l", 2)));
    }

    @Test
    void refusesNestingDeeperThanItsBoundAndReadsNestedObjectsWithTheirLabel() {
        assertEquals("thing is not JSON", refusal(() -> JSON.read(utf8("{\"a\":{\"b\":{\"c\":{}}}}"), "thing")));
        var inner = JSON.read(utf8("{\"a\":{\"b\":{\"c\":1}}}"), "thing").object("a", "a").object("b", "a.b");
        assertEquals("a.b", inner.where());
        assertEquals("unknown field 'c'", refusal(() -> inner.fields(Set.of())));
    }

    @Test
    void refusesInputOverItsSizeBoundBeforeParsing() {
        byte[] big = new byte[257];
        assertEquals("thing of 257 bytes exceeds 256", refusal(() -> JSON.read(big, "thing")));
    }

    @Test
    void refusesAStringOrNumberOverItsBound() {
        StrictJson<RejectedException> json = StrictJson.refusing(TestFailure.MALFORMED_THING, "thing: ")
                .maxStringLength(4).maxNumberLength(3).notJson((where, e) -> "not JSON: " + StrictJson.firstLine(e.getMessage()))
                .build();
        assertTrue(refusal(() -> json.read(utf8("{\"a\":\"12345\"}"), "x")).startsWith("thing: not JSON: String value length"));
        assertTrue(refusal(() -> json.read(utf8("{\"a\":12345}"), "x")).startsWith("thing: not JSON: Number value length"));
        json.read(utf8("{\"a\":\"1234\",\"b\":123}"), "x");
    }

    @Test
    void phrasesEachRefusalAsTheFormatDoes() {
        StrictJson<RejectedException> json = StrictJson.refusing(TestFailure.MALFORMED_THING, "registry: ")
                .unknownField((where, f) -> where + " has unknown field '" + f + "'")
                .missingFields((where, missing, expected) -> where + " lacks " + missing.first() + " of " + expected)
                .notString((where, f) -> where + ": '" + f + "' is missing or not a string")
                .build();
        var o = json.read(utf8("{\"a\":1}"), "module #0");
        assertEquals("registry: module #0 has unknown field 'a'", refusal(() -> o.fields(Set.of("b"))));
        assertEquals("registry: module #0 lacks b of [a, b]", refusal(() -> o.fields(Set.of("a", "b"))));
        assertEquals("registry: module #0: 'a' is missing or not a string", refusal(() -> o.text("a")));
        assertEquals("registry: own check", refusal(() -> {
            throw o.refuse("a", "own check");
        }));
    }

    @Test
    void acceptsDuplicateKeysAndTrailingContentOnlyWhenToldTo() {
        StrictJson<RejectedException> lenient = StrictJson.refusing(TestFailure.MALFORMED_THING)
                .acceptDuplicateKeysAndTrailingContent().build();
        assertEquals(2, lenient.read(utf8("{\"count\":1,\"count\":2} trailing"), "thing").integer("count"));
        assertEquals("thing is not JSON", refusal(() -> lenient.read(utf8("{\"count\":"), "thing")));
        assertEquals("unknown field 'x'", refusal(() -> lenient.read(utf8("{\"x\":1}"), "thing").known(REQUIRED)));
    }

    /** A codec's own checked exception. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        final StrictJson.Problem problem;
        final String field;

        Malformed(StrictJson.Problem problem, String field, String message) {
            super(message);
            this.problem = problem;
            this.field = field;
        }
    }

    @Test
    void throwsTheCodecsOwnExceptionNamingTheProblemAndField() {
        StrictJson<Malformed> json = StrictJson.builder(Malformed::new).build();
        Malformed unknown = assertThrows(Malformed.class, () -> json.read(utf8("{\"x\":1}"), "f").fields(Set.of()));
        assertEquals(StrictJson.Problem.UNKNOWN_FIELD, unknown.problem);
        assertEquals("x", unknown.field);
        Malformed missing = assertThrows(Malformed.class, () -> json.read(utf8("{}"), "f").fields(Set.of("y", "x")));
        assertEquals(StrictJson.Problem.MISSING_FIELD, missing.problem);
        assertEquals("x", missing.field);
        Malformed type = assertThrows(Malformed.class, () -> json.read(utf8("{\"x\":1}"), "f").text("x"));
        assertEquals(StrictJson.Problem.WRONG_TYPE, type.problem);
        Malformed dup = assertThrows(Malformed.class, () -> json.read(utf8("{\"x\":1,\"x\":1}"), "f"));
        assertEquals(StrictJson.Problem.NOT_JSON, dup.problem);
    }
}

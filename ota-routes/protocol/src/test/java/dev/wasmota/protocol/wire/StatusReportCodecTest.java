package dev.wasmota.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatusReportCodecTest {
    static final Instant AT = Instant.parse("2026-06-01T08:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] FIELDS = {"format", "vehicleId", "campaignId", "instructionId", "nonce", "result", "reason",
        "detail", "moduleId", "activeVersion", "packageSha256", "auditSeq", "auditHead", "reportedAt"};

    static StatusReport report() {
        return new StatusReport("veh-1", "camp-1", "ins-1", "00112233445566778899aabbccddeeff",
                StatusReport.Result.COMMITTED, "", "committed after health check", "healthy", "1.0.0", "a".repeat(64), 7,
                "b".repeat(64), AT);
    }

    static void assertMalformed(Executable call) {
        RejectedException e = assertThrows(RejectedException.class, call);
        assertEquals(RouteFailure.MALFORMED_MESSAGE, e.reason(), e.getMessage());
    }

    static ObjectNode tree() {
        try {
            return (ObjectNode) JSON.readTree(StatusReportCodec.canonicalBytes(report()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The canonical report with {@code field} set to {@code value}, still canonical JSON. */
    static byte[] with(String field, JsonNode value) {
        ObjectNode o = tree();
        o.set(field, value);
        return CanonicalJson.bytes(o);
    }

    static String canonicalText() {
        return new String(StatusReportCodec.canonicalBytes(report()), StandardCharsets.UTF_8);
    }

    /** The canonical text with {@code from} replaced once by {@code to}; checks {@code from} was there. */
    static byte[] replaced(String from, String to) {
        String text = canonicalText();
        assertTrue(text.contains(from), "fixture lacks " + from);
        return text.replace(from, to).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripsThroughCanonicalBytes() {
        assertEquals(report(), StatusReportCodec.parse(StatusReportCodec.canonicalBytes(report())));
    }

    @ParameterizedTest
    @EnumSource(StatusReport.Result.class)
    void roundTripsEveryResult(StatusReport.Result result) {
        StatusReport r = new StatusReport("VIN.9_x-1", "camp-1", "ins-1", "0123456789abcdef", result,
                result == StatusReport.Result.COMMITTED ? "" : "BAD_SIGNATURE", "", "healthy", "", "c".repeat(64),
                0, "d".repeat(64), AT.plusMillis(123));
        assertEquals(r, StatusReportCodec.parse(StatusReportCodec.canonicalBytes(r)));
    }

    @Test
    void roundTripsDetailNeedingEscapesAndOfTheFullLength() {
        StatusReport tricky = new StatusReport("veh-1", "camp-1", "ins-1", "0".repeat(64), StatusReport.Result.FAILED,
                "MODULE_TRAP", "line \"one\"\nline\ttwo \\ é ✓ \u0001", "healthy", "2.0.0-rc.1+b7", "a".repeat(64),
                (1L << 53) - 1, "b".repeat(64), AT);
        assertEquals(tricky, StatusReportCodec.parse(StatusReportCodec.canonicalBytes(tricky)));
        StatusReport longest = new StatusReport("veh-1", "camp-1", "ins-1", "0".repeat(16), StatusReport.Result.FAILED,
                "X", "d".repeat(StatusReport.MAX_DETAIL), "healthy", "", "a".repeat(64), 1, "b".repeat(64), AT);
        assertEquals(longest, StatusReportCodec.parse(StatusReportCodec.canonicalBytes(longest)));
    }

    @Test
    void writesSortedKeysWithoutWhitespaceAndTheFormatName() {
        String text = canonicalText();
        assertTrue(text.startsWith("{\"activeVersion\":\"1.0.0\",\"auditHead\":"), text);
        assertTrue(text.contains("\"auditSeq\":7,"), text);
        assertTrue(text.contains("\"format\":\"" + StatusReportCodec.FORMAT + "\""), text);
        assertTrue(text.endsWith("\"vehicleId\":\"veh-1\"}"), text);
        assertEquals(-1, text.indexOf(' ', text.indexOf("\"vehicleId\"")), text);
    }

    @Test
    void refusesNonCanonicalWhitespace() {
        assertMalformed(() -> StatusReportCodec.parse(replaced("\",\"auditSeq\"", "\", \"auditSeq\"")));
        assertMalformed(() -> StatusReportCodec.parse((canonicalText() + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesNonCanonicalKeyOrder() throws IOException {
        ObjectNode o = tree();
        ObjectNode reordered = JsonNodeFactory.instance.objectNode();
        reordered.set("vehicleId", o.get("vehicleId"));
        o.remove("vehicleId");
        reordered.setAll(o);
        byte[] bytes = JSON.writeValueAsBytes(reordered);
        assertMalformed(() -> StatusReportCodec.parse(bytes));
    }

    @Test
    void refusesNonCanonicalEscape() {
        assertMalformed(() -> StatusReportCodec.parse(replaced("\"healthy\"", "\"h\\u0065althy\"")));
    }

    @Test
    void refusesReportOverItsSizeLimit() {
        byte[] big = with("detail", TextNode.valueOf("x".repeat(StatusReportCodec.MAX_BYTES)));
        assertMalformed(() -> StatusReportCodec.parse(big));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "\"text\"", "null", "{}"})
    void refusesPayloadThatIsNotAReportObject(String text) {
        assertMalformed(() -> StatusReportCodec.parse(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesTrailingTokens() {
        assertMalformed(() -> StatusReportCodec.parse((canonicalText() + "{}").getBytes(StandardCharsets.UTF_8)));
    }

    static Stream<String> fields() {
        return Stream.of(FIELDS);
    }

    @ParameterizedTest
    @MethodSource("fields")
    void refusesReportMissingAField(String field) {
        ObjectNode o = tree();
        assertTrue(o.has(field), field);
        o.remove(field);
        assertMalformed(() -> StatusReportCodec.parse(CanonicalJson.bytes(o)));
    }

    @Test
    void refusesReportWithAnExtraField() {
        assertMalformed(() -> StatusReportCodec.parse(with("extra", TextNode.valueOf("x"))));
    }

    @Test
    void refusesDuplicateKey() {
        byte[] dup = replaced("{\"activeVersion\":\"1.0.0\",", "{\"activeVersion\":\"1.0.0\",\"activeVersion\":\"1.0.0\",");
        assertMalformed(() -> StatusReportCodec.parse(dup));
        byte[] conflicting = replaced("\"vehicleId\":\"veh-1\"}", "\"vehicleId\":\"veh-1\",\"vehicleId\":\"veh-2\"}");
        assertMalformed(() -> StatusReportCodec.parse(conflicting));
    }

    @ParameterizedTest
    @MethodSource("fields")
    void refusesFieldOfTheWrongType(String field) {
        JsonNode wrong = field.equals("auditSeq") ? TextNode.valueOf("7") : IntNode.valueOf(1);
        assertMalformed(() -> StatusReportCodec.parse(with(field, wrong)));
        assertMalformed(() -> StatusReportCodec.parse(with(field, NullNode.getInstance())));
        assertMalformed(() -> StatusReportCodec.parse(with(field, BooleanNode.TRUE)));
        assertMalformed(() -> StatusReportCodec.parse(with(field, JsonNodeFactory.instance.objectNode())));
        assertMalformed(() -> StatusReportCodec.parse(with(field, JsonNodeFactory.instance.arrayNode())));
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("format", "wasmota-status/2"),
                Arguments.of("vehicleId", ""),
                Arguments.of("vehicleId", "veh/1"),
                Arguments.of("vehicleId", "+"),
                Arguments.of("vehicleId", "-veh"),
                Arguments.of("vehicleId", "v".repeat(65)),
                Arguments.of("campaignId", "Camp-1"),
                Arguments.of("campaignId", ""),
                Arguments.of("instructionId", "ins 1"),
                Arguments.of("instructionId", ".ins"),
                Arguments.of("nonce", "0011"),
                Arguments.of("nonce", "00112233445566778899AABBCCDDEEFF"),
                Arguments.of("nonce", "zz112233445566778899aabbccddeeff"),
                Arguments.of("nonce", "0".repeat(65)),
                Arguments.of("result", "DONE"),
                Arguments.of("result", "committed"),
                Arguments.of("result", ""),
                Arguments.of("reason", "bad signature"),
                Arguments.of("reason", "R".repeat(65)),
                Arguments.of("moduleId", "Healthy"),
                Arguments.of("moduleId", "healthy/1"),
                Arguments.of("activeVersion", "1.0 0"),
                Arguments.of("activeVersion", "1".repeat(65)),
                Arguments.of("packageSha256", "a".repeat(63)),
                Arguments.of("packageSha256", "A".repeat(64)),
                Arguments.of("packageSha256", "g".repeat(64)),
                Arguments.of("auditHead", "b".repeat(65)),
                Arguments.of("auditHead", ""),
                Arguments.of("reportedAt", "yesterday"),
                Arguments.of("reportedAt", "2026-06-01"),
                Arguments.of("reportedAt", "2026-06-01T08:00:00"),
                Arguments.of("reportedAt", "2026-13-01T08:00:00Z"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void refusesMalformedFieldValue(String field, String value) {
        assertMalformed(() -> StatusReportCodec.parse(with(field, TextNode.valueOf(value))));
    }

    @Test
    void refusesNegativeAuditSeq() {
        assertMalformed(() -> StatusReportCodec.parse(with("auditSeq", IntNode.valueOf(-1))));
        assertMalformed(() -> StatusReportCodec.parse(with("auditSeq", LongNode.valueOf(-(1L << 53) + 1))));
    }

    @Test
    void refusesAuditSeqBeyondTheSafeIntegerRangeOrFractional() {
        assertMalformed(() -> StatusReportCodec.parse(replaced("\"auditSeq\":7,", "\"auditSeq\":9007199254740992,")));
        assertMalformed(() -> StatusReportCodec.parse(replaced("\"auditSeq\":7,", "\"auditSeq\":7.0,")));
        assertMalformed(() -> StatusReportCodec.parse(replaced("\"auditSeq\":7,", "\"auditSeq\":7e0,")));
    }

    @Test
    void acceptsAuditSeqAtTheSafeIntegerLimit() {
        byte[] bytes = with("auditSeq", LongNode.valueOf(CanonicalJson.MAX_SAFE_INTEGER));
        assertEquals(CanonicalJson.MAX_SAFE_INTEGER, StatusReportCodec.parse(bytes).auditSeq());
    }

    @Test
    void refusesDetailOverItsLimit() {
        byte[] bytes = with("detail", TextNode.valueOf("d".repeat(StatusReport.MAX_DETAIL + 1)));
        assertTrue(bytes.length <= StatusReportCodec.MAX_BYTES);
        assertMalformed(() -> StatusReportCodec.parse(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-06-01T08:00:00.000Z", "2026-06-01T10:00:00+02:00", "+002026-06-01T08:00:00Z"})
    void refusesReportedAtNotWrittenAsInstantToString(String spelling) {
        assertMalformed(() -> StatusReportCodec.parse(with("reportedAt", TextNode.valueOf(spelling))));
    }

    @Test
    void reEncodesAParsedReportToTheSameBytes() {
        byte[] bytes = StatusReportCodec.canonicalBytes(report());
        assertArrayEquals(bytes,
                StatusReportCodec.canonicalBytes(StatusReportCodec.parse(bytes)));
    }
}

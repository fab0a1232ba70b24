package dev.wasmota.contract.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String str(String s) {
        return CanonicalJson.string(NODES.textNode(s));
    }

    @Test
    void escapesControlCharactersAsLowercaseUnicodeEscapes() {
        assertEquals("\"\\u0000\\u0001\\u001f\\u000b\\u001b\"", str("\u0000\u0001\u001f\u000b\u001b"));
    }

    @Test
    void usesTheShortEscapes() {
        assertEquals("\"\\b\\t\\n\\f\\r\\\"\\\\\"", str("\b\t\n\f\r\"\\"));
    }

    @Test
    void writesNonAsciiAndSlashAndDelRaw() {
        assertEquals("\"/\u007f\u00e9\u20ac\ud83d\ude00\u0080\"", str("/\u007f\u00e9\u20ac\ud83d\ude00\u0080"));
        byte[] utf8 = CanonicalJson.bytes(NODES.textNode("\u00e9\ud83d\ude00"));
        assertArrayEquals(new byte[] {'"', (byte) 0xc3, (byte) 0xa9, (byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80, '"'},
                utf8);
    }

    @Test
    void sortsKeysByUtf16CodeUnits() {
        ObjectNode o = NODES.objectNode();
        o.put("\ufb33", 5);
        o.put("\ud83d\ude00", 4);
        o.put("\u00e9", 3);
        o.put("a", 2);
        o.put("B", 1);
        // U+1F600 is D83D DE00 in UTF-16, so it sorts before U+FB33 (it would sort after by code point)
        assertEquals("{\"B\":1,\"a\":2,\"\u00e9\":3,\"\ud83d\ude00\":4,\"\ufb33\":5}", CanonicalJson.string(o));
    }

    @Test
    void sortsTheRfc8785Section323Example() throws Exception {
        String input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
                + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
                + "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        String expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
        assertEquals(expected, CanonicalJson.string(MAPPER.readTree(input)));
    }

    @Test
    void sortsNestedObjectsAndKeepsArrayOrder() throws Exception {
        JsonNode n = MAPPER.readTree("{ \"b\" : [3, {\"z\":true,\"y\":null}, \"x\"], \"a\" : {\"d\":-1,\"c\":0} }");
        assertEquals("{\"a\":{\"c\":0,\"d\":-1},\"b\":[3,{\"y\":null,\"z\":true},\"x\"]}", CanonicalJson.string(n));
    }

    @Test
    void writesIntegersUpToTwoToThe53() {
        assertEquals("9007199254740991", CanonicalJson.string(NODES.numberNode(CanonicalJson.MAX_SAFE_INTEGER)));
        assertEquals("-9007199254740991", CanonicalJson.string(NODES.numberNode(-CanonicalJson.MAX_SAFE_INTEGER)));
        assertEquals("0", CanonicalJson.string(NODES.numberNode(0)));
    }

    @Test
    void refusesIntegersBeyondTwoToThe53() {
        assertThrows(IllegalArgumentException.class,
                () -> CanonicalJson.string(NODES.numberNode(CanonicalJson.MAX_SAFE_INTEGER + 1)));
        assertThrows(IllegalArgumentException.class,
                () -> CanonicalJson.string(NODES.numberNode(-CanonicalJson.MAX_SAFE_INTEGER - 1)));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.string(NODES.numberNode(Long.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.string(NODES.numberNode(Long.MIN_VALUE)));
        assertThrows(IllegalArgumentException.class,
                () -> CanonicalJson.string(NODES.numberNode(BigInteger.ONE.shiftLeft(64))));
    }

    @Test
    void refusesFloats() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.string(NODES.numberNode(1.5)));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.string(NODES.numberNode(1.0)));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.string(NODES.numberNode(new BigDecimal("2"))));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.string(MAPPER.readTree("{\"a\":[1e2]}")));
    }

    @Test
    void refusesLoneSurrogates() {
        assertThrows(IllegalArgumentException.class, () -> str("a\ud83d"));
        assertThrows(IllegalArgumentException.class, () -> str("\ud83d b"));
        assertThrows(IllegalArgumentException.class, () -> str("\ude00"));
        assertThrows(IllegalArgumentException.class, () -> str("\ude00\ud83d"));
        ObjectNode key = NODES.objectNode();
        key.put("\ud800", 1);
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.string(key));
    }

    @Test
    void writesNoWhitespace() throws Exception {
        JsonNode n = MAPPER.readTree("[ true ,false, null , { } , [ ] , \"\" ]");
        assertEquals("[true,false,null,{},[],\"\"]", CanonicalJson.string(n));
    }

    @Test
    void recognisesOnlyExactlyCanonicalBytes() throws Exception {
        byte[] canonical = "{\"a\":1,\"b\":\"\\n\"}".getBytes(StandardCharsets.UTF_8);
        assertTrue(CanonicalJson.isCanonical(canonical, MAPPER.readTree(canonical)));
        for (String other : new String[] {"{\"b\":\"\\n\",\"a\":1}", "{\"a\": 1,\"b\":\"\\n\"}",
                "{\"a\":1,\"b\":\"\\u000a\"}", "{\"a\":1,\"b\":\"\\n\"}\n"}) {
            byte[] bytes = other.getBytes(StandardCharsets.UTF_8);
            assertFalse(CanonicalJson.isCanonical(bytes, MAPPER.readTree(bytes)), other);
        }
    }
}

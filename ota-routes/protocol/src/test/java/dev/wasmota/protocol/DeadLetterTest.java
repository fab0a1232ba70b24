package dev.wasmota.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.protocol.wire.Frames;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
    static final Instant AT = Instant.parse("2026-06-01T08:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    static List<byte[]> parts(byte[] encoded) {
        return Frames.decode(encoded, DeadLetter.KIND, 2, 64 * 1024, DeadLetter.MAX_KEPT_BYTES);
    }

    static JsonNode json(byte[] part) throws Exception {
        JsonNode n = JSON.readTree(part);
        assertTrue(CanonicalJson.isCanonical(part, n), "dead-letter JSON is canonical");
        return n;
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    @Test
    void encodesReasonRouteTopicAndPayloadDigestWithThePayload() throws Exception {
        byte[] payload = "a refused status".getBytes(StandardCharsets.UTF_8);
        DeadLetter d = new DeadLetter("UNVERIFIED_STATUS", "signature does not verify", "ota/vehicle/v1/status",
                "oem-status", payload, AT);
        List<byte[]> parts = parts(d.encode());
        JsonNode j = json(parts.get(0));
        Set<String> names = new TreeSet<>();
        j.fieldNames().forEachRemaining(names::add);
        assertEquals(Set.of("format", "reason", "detail", "sourceTopic", "route", "payloadBytes", "payloadSha256", "at"), names);
        assertEquals(DeadLetter.FORMAT, j.get("format").textValue());
        assertEquals("UNVERIFIED_STATUS", j.get("reason").textValue());
        assertEquals("signature does not verify", j.get("detail").textValue());
        assertEquals("ota/vehicle/v1/status", j.get("sourceTopic").textValue());
        assertEquals("oem-status", j.get("route").textValue());
        assertEquals(payload.length, j.get("payloadBytes").intValue());
        assertEquals(Digests.sha256Hex(payload), j.get("payloadSha256").textValue());
        assertEquals(AT.toString(), j.get("at").textValue());
        assertArrayEquals(payload, parts.get(1));
    }

    @Test
    void writesEmptyStringsForAbsentDetailAndTopic() throws Exception {
        JsonNode j = json(parts(new DeadLetter("MALFORMED_MESSAGE", null, null, "r", new byte[0], AT).encode()).get(0));
        assertEquals("", j.get("detail").textValue());
        assertEquals("", j.get("sourceTopic").textValue());
        assertEquals(0, j.get("payloadBytes").intValue());
        assertEquals(Digests.sha256Hex(new byte[0]), j.get("payloadSha256").textValue());
    }

    @Test
    void keepsPayloadOfExactlyTheLimitWhole() throws Exception {
        byte[] payload = random(DeadLetter.MAX_KEPT_BYTES);
        List<byte[]> parts = parts(new DeadLetter("OVERSIZED_MESSAGE", "d", "t", "r", payload, AT).encode());
        assertArrayEquals(payload, parts.get(1));
        assertEquals(payload.length, json(parts.get(0)).get("payloadBytes").intValue());
    }

    @Test
    void keepsTheFirst64KibOfALargerPayloadWhileSizeAndDigestDescribeTheWhole() throws Exception {
        byte[] payload = random(DeadLetter.MAX_KEPT_BYTES * 3 + 17);
        List<byte[]> parts = parts(new DeadLetter("OVERSIZED_MESSAGE", "d", "t", "r", payload, AT).encode());
        assertEquals(64 * 1024, DeadLetter.MAX_KEPT_BYTES);
        assertArrayEquals(Arrays.copyOf(payload, DeadLetter.MAX_KEPT_BYTES), parts.get(1));
        JsonNode j = json(parts.get(0));
        assertEquals(payload.length, j.get("payloadBytes").intValue());
        assertEquals(Digests.sha256Hex(payload), j.get("payloadSha256").textValue());
        assertNotEquals(Digests.sha256Hex(parts.get(1)), j.get("payloadSha256").textValue());
    }
}

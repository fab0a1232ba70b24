package dev.wasmota.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmota.audit.AuditCodec.MalformedRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditCodecTest {
    private static final String H = "0".repeat(64);

    @Test
    void sealedRecordRoundTripsThroughItsLine() throws MalformedRecordException {
        AuditRecord unsealed = AuditFixtures.installCommitted();
        Instant time = Instant.parse("2026-03-01T10:00:00.123Z");
        AuditRecord draft = unsealed.sealed(7, time, H, null);
        AuditRecord sealed = unsealed.sealed(7, time, H, AuditCodec.hashOf(draft));

        assertEquals(sealed, AuditCodec.decodeLine(AuditCodec.line(sealed)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON                 | {\"seq\":1,",
        "not an object            | [1,2]",
        "trailing garbage         | {\"event\":\"VERIFY\",\"hash\":\"H\",\"prevHash\":\"H\",\"seq\":1,\"time\":\"2026-03-01T10:00:00Z\"} x",
        "duplicate key            | {\"event\":\"VERIFY\",\"event\":\"ROLLBACK\",\"hash\":\"H\",\"prevHash\":\"H\",\"seq\":1,\"time\":\"2026-03-01T10:00:00Z\"}",
        "unknown field            | {\"event\":\"VERIFY\",\"hash\":\"H\",\"prevHash\":\"H\",\"seq\":1,\"time\":\"2026-03-01T10:00:00Z\",\"x\":\"1\"}",
        "missing seq              | {\"event\":\"VERIFY\",\"hash\":\"H\",\"prevHash\":\"H\",\"time\":\"2026-03-01T10:00:00Z\"}",
        "seq as string            | {\"event\":\"VERIFY\",\"hash\":\"H\",\"prevHash\":\"H\",\"seq\":\"1\",\"time\":\"2026-03-01T10:00:00Z\"}",
        "seq zero                 | {\"event\":\"VERIFY\",\"hash\":\"H\",\"prevHash\":\"H\",\"seq\":0,\"time\":\"2026-03-01T10:00:00Z\"}",
        "seq fractional           | {\"event\":\"VERIFY\",\"hash\":\"H\",\"prevHash\":\"H\",\"seq\":1.5,\"time\":\"2026-03-01T10:00:00Z\"}",
        "missing time             | {\"event\":\"VERIFY\",\"hash\":\"H\",\"prevHash\":\"H\",\"seq\":1}",
        "time not an instant      | {\"event\":\"VERIFY\",\"hash\":\"H\",\"prevHash\":\"H\",\"seq\":1,\"time\":\"yesterday\"}",
        "unknown event            | {\"event\":\"REBOOT\",\"hash\":\"H\",\"prevHash\":\"H\",\"seq\":1,\"time\":\"2026-03-01T10:00:00Z\"}",
        "missing event            | {\"hash\":\"H\",\"prevHash\":\"H\",\"seq\":1,\"time\":\"2026-03-01T10:00:00Z\"}",
        "unknown outcome          | {\"event\":\"VERIFY\",\"hash\":\"H\",\"outcome\":\"MAYBE\",\"prevHash\":\"H\",\"seq\":1,\"time\":\"2026-03-01T10:00:00Z\"}",
        "hash not hex             | {\"event\":\"VERIFY\",\"hash\":\"xyz\",\"prevHash\":\"H\",\"seq\":1,\"time\":\"2026-03-01T10:00:00Z\"}",
        "missing prevHash         | {\"event\":\"VERIFY\",\"hash\":\"H\",\"seq\":1,\"time\":\"2026-03-01T10:00:00Z\"}",
        "moduleId not a string    | {\"event\":\"VERIFY\",\"hash\":\"H\",\"moduleId\":7,\"prevHash\":\"H\",\"seq\":1,\"time\":\"2026-03-01T10:00:00Z\"}",
        "negative securityVersion | {\"event\":\"VERIFY\",\"hash\":\"H\",\"prevHash\":\"H\",\"securityVersion\":-1,\"seq\":1,\"time\":\"2026-03-01T10:00:00Z\"}",
        "verification not string  | {\"event\":\"VERIFY\",\"hash\":\"H\",\"prevHash\":\"H\",\"seq\":1,\"time\":\"2026-03-01T10:00:00Z\",\"verifications\":{\"sig\":true}}",
        "preconditions not object | {\"event\":\"VERIFY\",\"hash\":\"H\",\"preconditions\":[],\"prevHash\":\"H\",\"seq\":1,\"time\":\"2026-03-01T10:00:00Z\"}",
    })
    void refusesMalformedLine(String what, String json) {
        byte[] line = json.replace("\"H\"", "\"" + H + "\"").getBytes(StandardCharsets.UTF_8);
        assertThrows(MalformedRecordException.class, () -> AuditCodec.decodeLine(line), what);
    }

    @Test
    void acceptsTheMinimalWellFormedLine() throws MalformedRecordException {
        String json = "{\"event\":\"VERIFY\",\"hash\":\"" + H + "\",\"prevHash\":\"" + H
                + "\",\"seq\":1,\"time\":\"2026-03-01T10:00:00Z\"}";
        assertEquals(AuditEvent.VERIFY, AuditCodec.decodeLine(json.getBytes(StandardCharsets.UTF_8)).event());
    }
}

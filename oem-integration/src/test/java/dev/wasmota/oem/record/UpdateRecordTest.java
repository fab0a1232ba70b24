package dev.wasmota.oem.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.RejectedException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UpdateRecordTest {
    @Test
    void roundTripsThroughItsCanonicalForm() throws Exception {
        UpdateRecord r = UpdateRecord.parse(UpdateRecordStartTest.JSON.writeValueAsBytes(UpdateRecordStartTest.complete()));

        assertTrue(r.missing().isEmpty(), r.missing().toString());
        assertArrayEquals(r.canonicalBytes(), UpdateRecord.parse(r.canonicalBytes()).canonicalBytes());
        assertEquals(r, UpdateRecord.parse(r.canonicalBytes()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[]",
        "not json",
        "{\"purpose\":\"x\"}",
        "{\"format\":\"wasmota-update-record/1\",\"purpose\":7}",
        "{\"format\":\"wasmota-update-record/1\",\"typeApprovalRelevant\":\"yes\"}",
        "{\"format\":\"wasmota-update-record/1\",\"affectedSystems\":\"braking\"}",
        "{\"format\":\"wasmota-update-record/1\",\"affectedSystems\":[\"\"]}",
        "{\"format\":\"wasmota-update-record/1\",\"approvedBy\":\"me\"}",
        // which of two purposes would count is not guessed, and nothing may follow the object
        "{\"format\":\"wasmota-update-record/1\",\"purpose\":\"a\",\"purpose\":\"b\"}",
        "{\"format\":\"wasmota-update-record/1\",\"purpose\":\"a\"} {}"})
    void refusesWhatIsNotTheFormat(String json) {
        RejectedException e = assertThrows(RejectedException.class,
                () -> UpdateRecord.parse(json.getBytes(StandardCharsets.UTF_8)));

        assertEquals(RecordFailure.MALFORMED_RECORD, e.reason());
        assertTrue(e.getMessage().startsWith("update record: "), e.getMessage());
    }

    @Test
    void refusesAnOversizedRecordBeforeParsingIt() {
        byte[] big = new byte[UpdateRecord.MAX_BYTES + 1];
        RejectedException e = assertThrows(RejectedException.class, () -> UpdateRecord.parse(big));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }
}

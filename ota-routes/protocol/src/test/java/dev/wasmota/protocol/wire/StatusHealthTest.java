package dev.wasmota.protocol.wire;

import static dev.wasmota.protocol.wire.StatusReportCodecTest.assertMalformed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.contract.stats.ModuleHealth;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The status report's optional runtime health: round trip, the old form unchanged, a refusal per malformed field. */
class StatusHealthTest {
    static final ModuleHealth HEALTH = new ModuleHealth("healthy", "1.0.0", 1200, 12, 180, 950, 0, 0, 1, 998_000);

    @Test
    void roundTripsAndAReportWithoutHealthKeepsItsBytes() {
        StatusReport with = StatusReportCodecTest.report().withHealth(Optional.of(HEALTH));
        assertEquals(with, StatusReportCodec.parse(StatusReportCodec.canonicalBytes(with)));
        assertArrayEquals(StatusReportCodec.canonicalBytes(StatusReportCodecTest.report()),
                StatusReportCodec.canonicalBytes(with.withHealth(Optional.empty())));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "calls negative     | calls              | -1",
        "p99 not a number   | p99Us              | true",
        "agreement over 1   | shadowAgreementPpm | 1000001",
        "unknown field      | extra              | 1",
    })
    void refusesMalformedHealth(String what, String field, String value) throws Exception {
        ObjectNode o = StatusReportCodecTest.tree();
        ObjectNode h = HEALTH.toJson();
        h.set(field, StatusReportCodecTest.JSON.readTree(value));
        o.set("health", h);
        assertMalformed(() -> StatusReportCodec.parse(CanonicalJson.bytes(o)));
    }
}

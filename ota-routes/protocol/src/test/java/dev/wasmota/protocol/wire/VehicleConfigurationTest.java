package dev.wasmota.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The configuration a signed status report may carry (issue 17): round trip, and each malformed field refused. */
class VehicleConfigurationTest {
    static final String SHA = "c".repeat(64);

    static VehicleConfiguration config() {
        TreeMap<String, VehicleConfiguration.Module> m = new TreeMap<>();
        m.put("healthy", new VehicleConfiguration.Module("1.0.0", SHA));
        m.put("can-gw", new VehicleConfiguration.Module("2.1.0-rc.1", SHA));
        return new VehicleConfiguration(Optional.of("R156-ECU-A:1.0"), m);
    }

    static StatusReport report() {
        return StatusReportCodecTest.report().withConfiguration(Optional.of(config()));
    }

    @Test
    void roundTripsInTheCanonicalReport() {
        byte[] bytes = StatusReportCodec.canonicalBytes(report());

        assertEquals(report(), StatusReportCodec.parse(bytes));
        assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("\"rxswin\":\"R156-ECU-A:1.0\""));
    }

    @Test
    void aReportWithoutOneParsesAsBefore() {
        StatusReport r = StatusReportCodec.parse(StatusReportCodec.canonicalBytes(StatusReportCodecTest.report()));
        assertEquals(Optional.empty(), r.configuration());
    }

    @Test
    void aConfigurationWithoutAnRxswinLeavesItOut() {
        VehicleConfiguration none = new VehicleConfiguration(Optional.empty(), config().modules());
        StatusReport r = StatusReportCodecTest.report().withConfiguration(Optional.of(none));

        assertEquals(r, StatusReportCodec.parse(StatusReportCodec.canonicalBytes(r)));
        assertTrue(!new String(StatusReportCodec.canonicalBytes(r), StandardCharsets.UTF_8).contains("rxswin"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"modules\":{}, \"rxswin\":7}",
            "{\"modules\":{}, \"rxswin\":\"has space\"}",
            "{\"rxswin\":\"R1\"}",
            "{\"modules\":[]}",
            "{\"modules\":{}, \"extra\":1}",
            "{\"modules\":{\"Healthy\":{\"version\":\"1.0.0\",\"packageSha256\":\"" + "c" + "\"}}}",
            "{\"modules\":{\"healthy\":{\"version\":\"1.0\",\"packageSha256\":\"cc\"}}}",
            "{\"modules\":{\"healthy\":{\"version\":\"1.0.0\"}}}",
            "{\"modules\":{\"healthy\":{\"version\":\"1.0.0\",\"packageSha256\":\"CC\",\"x\":1}}}",
            "[]"})
    void refusesAMalformedConfiguration(String json) throws Exception {
        JsonNode bad = StatusReportCodecTest.JSON.readTree(json);
        ObjectNode o = StatusReportCodecTest.tree();
        o.set("configuration", bad);

        StatusReportCodecTest.assertMalformed(() -> StatusReportCodec.parse(CanonicalJson.bytes(o)));
    }

    @Test
    void refusesMoreModulesThanItsBound() throws Exception {
        ObjectNode o = StatusReportCodecTest.tree();
        ObjectNode m = o.putObject("configuration").putObject("modules");
        for (int i = 0; i <= VehicleConfiguration.MAX_MODULES; i++) {
            m.putObject("m" + i).put("version", "1.0.0").put("packageSha256", SHA);
        }

        StatusReportCodecTest.assertMalformed(() -> StatusReportCodec.parse(CanonicalJson.bytes(o)));
    }
}

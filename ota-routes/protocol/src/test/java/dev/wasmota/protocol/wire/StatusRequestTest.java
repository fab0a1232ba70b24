package dev.wasmota.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.protocol.RouteFailure;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link StatusRequest} (WOTQ): a round trip and one refusal per malformed field. */
class StatusRequestTest {
    private static final String GOOD = "{\"format\":\"wasmota-status-request/1\",\"instructions\":[\"i-1\",\"i-2\"],"
            + "\"vehicleId\":\"veh-1\"}";

    static void assertMalformed(byte[] payload) {
        RejectedException e = assertThrows(RejectedException.class, () -> StatusRequest.decode(payload));
        assertEquals(RouteFailure.MALFORMED_MESSAGE, e.reason(), e.getMessage());
    }

    private static byte[] frame(String json) {
        return Frames.encode(StatusRequest.KIND, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void roundTripsAsCanonicalJsonUnderItsOwnKind() {
        StatusRequest r = new StatusRequest("veh-1", List.of("i-1", "i-2"));
        byte[] encoded = r.encode();

        assertEquals("WOTQ", new String(encoded, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(GOOD, new String(Frames.decode(encoded, "WOTQ", 1, 8192).get(0), StandardCharsets.UTF_8));
        assertEquals(r, StatusRequest.decode(encoded));
        assertTrue(StatusRequest.isStatusRequest(encoded));
        assertFalse(StatusRequest.isStatusRequest(new TrustUpdateMessage(new byte[1]).encode()));
        assertFalse(StatusRequest.isStatusRequest(null));
    }

    @Test
    void holdsSixtyFourInstructionsOfTheLongestIdWithinItsLimit() {
        List<String> ids = IntStream.range(0, StatusRequest.MAX_INSTRUCTIONS)
                .mapToObj(i -> String.format("%064d", i)).toList();
        byte[] encoded = new StatusRequest("v".repeat(64), ids).encode();
        assertEquals(ids, StatusRequest.decode(encoded).instructionIds());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"format\":\"wasmota-status-request/2\",\"instructions\":[\"i-1\"],\"vehicleId\":\"veh-1\"}",
        "{\"format\":1,\"instructions\":[\"i-1\"],\"vehicleId\":\"veh-1\"}",
        "{\"format\":\"wasmota-status-request/1\",\"instructions\":[\"i-1\"],\"vehicleId\":\"veh/1\"}",
        "{\"format\":\"wasmota-status-request/1\",\"instructions\":[\"i-1\"],\"vehicleId\":7}",
        "{\"format\":\"wasmota-status-request/1\",\"instructions\":[],\"vehicleId\":\"veh-1\"}",
        "{\"format\":\"wasmota-status-request/1\",\"instructions\":\"i-1\",\"vehicleId\":\"veh-1\"}",
        "{\"format\":\"wasmota-status-request/1\",\"instructions\":[\"../x\"],\"vehicleId\":\"veh-1\"}",
        "{\"format\":\"wasmota-status-request/1\",\"instructions\":[3],\"vehicleId\":\"veh-1\"}",
        "{\"format\":\"wasmota-status-request/1\",\"instructions\":[\"i-1\",\"i-1\"],\"vehicleId\":\"veh-1\"}",
        "{\"format\":\"wasmota-status-request/1\",\"instructions\":[\"i-1\"]}",
        "{\"format\":\"wasmota-status-request/1\",\"instructions\":[\"i-1\"],\"more\":1,\"vehicleId\":\"veh-1\"}",
        "{\"vehicleId\":\"veh-1\",\"format\":\"wasmota-status-request/1\",\"instructions\":[\"i-1\"]}",
        "{\"format\":\"wasmota-status-request/1\",\"format\":\"wasmota-status-request/1\",\"instructions\":[\"i-1\"],\"vehicleId\":\"veh-1\"}",
        "[\"i-1\"]",
        "not json",
        "{\"format\":\"wasmota-status-request/1\",\"instructions\":[\"i-1\"],\"vehicleId\":\"veh-1\"} {}"})
    void refusesEachMalformedField(String json) {
        assertMalformed(frame(json));
    }

    @Test
    void refusesMoreThanSixtyFourInstructions() {
        List<String> ids = new ArrayList<>();
        IntStream.range(0, 65).forEach(i -> ids.add("i-" + i));
        StringBuilder json = new StringBuilder("{\"format\":\"wasmota-status-request/1\",\"instructions\":[");
        json.append(String.join(",", ids.stream().map(i -> "\"" + i + "\"").toList())).append("],\"vehicleId\":\"veh-1\"}");
        assertMalformed(frame(json.toString()));
        assertThrows(RejectedException.class, () -> new StatusRequest("veh-1", ids));
    }

    @Test
    void refusesAnotherKindAMissingOrExtraPartAndAnOversizedOneBeforeAllocating() {
        assertMalformed(new TrustUpdateMessage(GOOD.getBytes(StandardCharsets.UTF_8)).encode());
        assertMalformed(Frames.encode(StatusRequest.KIND));
        assertMalformed(Frames.encode(StatusRequest.KIND, GOOD.getBytes(StandardCharsets.UTF_8), new byte[1]));
        byte[] claiming = ByteBuffer.allocate(6 + 4 + 8).put("WOTQ".getBytes(StandardCharsets.US_ASCII))
                .put((byte) Frames.VERSION).put((byte) 1).putInt(StatusRequest.MAX_BYTES + 1).put(new byte[8]).array();
        RejectedException e = assertThrows(RejectedException.class, () -> StatusRequest.decode(claiming));
        assertEquals(RouteFailure.OVERSIZED_MESSAGE, e.reason());
    }
}

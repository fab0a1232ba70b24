package dev.wasmota.signing.instruction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.InstructionFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The instruction's optional RXSWIN (issue 17): signed round trip, the old form unchanged, malformed values refused. */
class InstructionRxswinTest {
    @TempDir
    Path dir;

    private static Instruction instruction(Optional<String> rxswin) {
        return new Instruction("ins-1", "camp-1", "vin-1", "healthy", "a".repeat(64), 1, Fixtures.T0,
                Fixtures.T0.plus(Duration.ofDays(1)), "00112233445566778899aabbccddeeff", Optional.empty(), rxswin);
    }

    @Test
    void roundTripsThroughTheCampaignSignature() {
        Fixtures fx = new Fixtures(dir);
        Instruction i = instruction(Optional.of("R156-ECU-A:2.0"));
        byte[] file = SignedInstruction.sign(i, fx.oem.campaign().key(), fx.oem.campaign().cert(), fx.clock);

        assertEquals(i, SignedInstruction.open(file, fx.oem.trustStore(), fx.clock));
    }

    @Test
    void anInstructionThatChangesNoneKeepsItsBytes() {
        String json = new String(InstructionCodec.canonicalBytes(instruction(Optional.empty())), StandardCharsets.UTF_8);
        assertTrue(!json.contains("rxswin"), json);
        assertEquals(instruction(Optional.empty()), InstructionCodec.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "\"has space\"", "7", "null", "\"-leading\""})
    void refusesAMalformedRxswin(String value) {
        String json = new String(InstructionCodec.canonicalBytes(instruction(Optional.of("R1"))), StandardCharsets.UTF_8)
                .replace("\"rxswin\":\"R1\"", "\"rxswin\":" + value);

        RejectedException e = assertThrows(RejectedException.class,
                () -> InstructionCodec.parse(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(InstructionFailure.MALFORMED_INSTRUCTION, e.reason());
    }
}

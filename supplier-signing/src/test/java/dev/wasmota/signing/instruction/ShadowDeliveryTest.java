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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The instruction's optional shadow request: signed round trip, the old form unchanged, a refusal per malformed field. */
class ShadowDeliveryTest {
    private static final ShadowDelivery SHADOW = new ShadowDelivery(600, 10_000, 2,
            List.of(new ShadowDelivery.Tolerance(0x220, 2, 0), new ShadowDelivery.Tolerance(0x221, 0, 50_000)));

    @TempDir
    Path dir;

    private static Instruction instruction(Optional<ShadowDelivery> shadow) {
        return new Instruction("ins-1", "camp-1", "vin-1", "healthy", "a".repeat(64), 1, Fixtures.T0,
                Fixtures.T0.plus(Duration.ofDays(1)), "00112233445566778899aabbccddeeff", shadow);
    }

    @Test
    void roundTripsThroughTheCampaignSignature() {
        Fixtures fx = new Fixtures(dir);
        Instruction i = instruction(Optional.of(SHADOW));
        byte[] file = SignedInstruction.sign(i, fx.oem.campaign().key(), fx.oem.campaign().cert(), fx.clock);

        assertEquals(i, SignedInstruction.open(file, fx.oem.trustStore(), fx.clock));
    }

    @Test
    void anInstructionWithoutAShadowKeepsItsBytes() {
        String json = new String(InstructionCodec.canonicalBytes(instruction(Optional.empty())), StandardCharsets.UTF_8);
        assertTrue(!json.contains("shadow"), json);
        assertEquals(instruction(Optional.empty()), InstructionCodec.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ticks zero          | {'maxDisagreementPpm':0,'maxFaults':0,'ticks':0,'tolerances':[]}                  | shadow ticks 0",
        "ratio over 1        | {'maxDisagreementPpm':1000001,'maxFaults':0,'ticks':5,'tolerances':[]}            | disagreement threshold",
        "negative faults     | {'maxDisagreementPpm':0,'maxFaults':-1,'ticks':5,'tolerances':[]}                 | 'maxFaults' is not",
        "unknown field       | {'maxDisagreementPpm':0,'maxFaults':0,'ticks':5,'tolerances':[],'x':1}            | unknown field 'x'",
        "missing field       | {'maxDisagreementPpm':0,'ticks':5,'tolerances':[]}                                | lacks one of",
        "tolerance not list  | {'maxDisagreementPpm':0,'maxFaults':0,'ticks':5,'tolerances':{}}                  | not a list",
        "CAN id too big      | {'maxDisagreementPpm':0,'maxFaults':0,'ticks':5,'tolerances':[{'absolute':0,'canId':536870912,'relativePpm':0}]} | CAN id",
        "relative over 1     | {'maxDisagreementPpm':0,'maxFaults':0,'ticks':5,'tolerances':[{'absolute':0,'canId':1,'relativePpm':1000001}]} | relative bound",
        "two for one id      | {'maxDisagreementPpm':0,'maxFaults':0,'ticks':5,'tolerances':[{'absolute':0,'canId':1,'relativePpm':0},{'absolute':1,'canId':1,'relativePpm':0}]} | two shadow tolerances",
        "not an object       | 7                                                                                  | not an object",
    })
    void refusesAMalformedShadowNamingTheField(String what, String shadow, String message) {
        String base = new String(InstructionCodec.canonicalBytes(instruction(Optional.empty())), StandardCharsets.UTF_8);
        String json = base.substring(0, base.length() - 1) + ",\"shadow\":" + shadow.replace('\'', '"') + "}";
        RejectedException e = assertThrows(RejectedException.class,
                () -> InstructionCodec.parse(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(InstructionFailure.MALFORMED_INSTRUCTION, e.reason());
        assertTrue(e.getMessage().contains(message), what + ": " + e.getMessage());
    }
}

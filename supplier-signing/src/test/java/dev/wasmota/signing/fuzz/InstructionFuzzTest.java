package dev.wasmota.signing.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.InstructionCodec;
import dev.wasmota.signing.instruction.SignedInstruction;

/** The campaign instruction: its signed envelope (CMS) and its canonical JSON body. */
class InstructionFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void opensSignedInstructionOrRefuses(byte[] file) {
        Fixtures fx = FuzzFixtures.fixtures();
        Instruction i;
        try {
            i = SignedInstruction.open(file, fx.oem.trustStore(), fx.clock);
        } catch (RejectedException e) {
            FuzzFixtures.assertNamed(e);
            return;
        }
        assertEquals(i, InstructionCodec.parse(InstructionCodec.canonicalBytes(i)));
    }

    @FuzzTest(maxDuration = "30s")
    void parsesOnlyCanonicalInstructions(byte[] bytes) {
        Instruction i;
        try {
            i = InstructionCodec.parse(bytes);
        } catch (RejectedException e) {
            FuzzFixtures.assertNamed(e);
            return;
        }
        assertArrayEquals(bytes, InstructionCodec.canonicalBytes(i), "accepted bytes are the canonical form");
    }
}

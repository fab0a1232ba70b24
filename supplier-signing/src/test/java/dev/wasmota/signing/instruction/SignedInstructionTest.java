package dev.wasmota.signing.instruction;

import static dev.wasmota.signing.Fixtures.indexOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.error.TrustFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedInstructionTest {
    static final String PKG = "a".repeat(64);
    @TempDir
    Path dir;
    Fixtures fx;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
    }

    Instruction instruction(String vehicle, long counter) {
        return new Instruction("ins-" + counter, "camp-1", vehicle, "healthy", PKG, counter, Fixtures.T0,
                Fixtures.T0.plus(Duration.ofDays(1)), "00112233445566778899aabbccddeeff");
    }

    byte[] signed(Instruction i) {
        return SignedInstruction.sign(i, fx.oem.campaign().key(), fx.oem.campaign().cert(), fx.clock);
    }

    @Test
    void roundTripsThroughSignatureAndCanonicalJson() {
        Instruction i = instruction("vin-1", 3);
        assertEquals(i, SignedInstruction.open(signed(i), fx.oem.trustStore(), fx.clock));
        assertEquals(i, InstructionCodec.parse(InstructionCodec.canonicalBytes(i)));
    }

    @Test
    void refusesInstructionSignedByTheReleaseKeyInsteadOfTheCampaignKey() {
        byte[] wrongRole = SignedInstruction.sign(instruction("vin-1", 1), fx.oem.release().key(), fx.oem.release().cert(), fx.clock);
        assertRejected(TrustFailure.UNTRUSTED_SIGNER, () -> SignedInstruction.open(wrongRole, fx.oem.trustStore(), fx.clock));
    }

    @Test
    void refusesInstructionWithAlteredContent() {
        byte[] file = signed(instruction("vin-1", 1));
        byte[] needle = "vin-1".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(file, needle);
        file[at + 4] = '2';
        assertRejected(TrustFailure.BAD_SIGNATURE, () -> SignedInstruction.open(file, fx.oem.trustStore(), fx.clock));
    }

    @Test
    void refusesGarbageAndOversizedFiles() {
        assertRejected(TrustFailure.BAD_SIGNATURE, () -> SignedInstruction.open(new byte[] {1, 2, 3}, fx.oem.trustStore(), fx.clock));
        assertRejected(InstructionFailure.MALFORMED_INSTRUCTION,
                () -> SignedInstruction.open(new byte[SignedInstruction.MAX_FILE_BYTES + 1], fx.oem.trustStore(), fx.clock));
    }

    @Test
    void checkRefusesWrongVehicleMismatchedPackageExpiryFutureAndReplay() {
        Instruction i = instruction("vin-1", 5);
        Instant now = Fixtures.T0.plusSeconds(60);
        SignedInstruction.check(i, "vin-1", PKG, now, 4);
        assertRejected(InstructionFailure.WRONG_VEHICLE, () -> SignedInstruction.check(i, "vin-2", PKG, now, 4));
        assertRejected(InstructionFailure.PACKAGE_MISMATCH, () -> SignedInstruction.check(i, "vin-1", "b".repeat(64), now, 4));
        assertRejected(InstructionFailure.EXPIRED,
                () -> SignedInstruction.check(i, "vin-1", PKG, i.expiresAt().plusSeconds(1), 4));
        assertRejected(InstructionFailure.NOT_YET_VALID,
                () -> SignedInstruction.check(i, "vin-1", PKG, Fixtures.T0.minus(Duration.ofMinutes(6)), 4));
        assertRejected(InstructionFailure.REPLAYED, () -> SignedInstruction.check(i, "vin-1", PKG, now, 5));
    }

    @Test
    void codecRefusesNonCanonicalUnknownAndMissingFields() {
        String good = new String(InstructionCodec.canonicalBytes(instruction("vin-1", 1)), StandardCharsets.UTF_8);
        for (String bad : new String[] {good.replace("{", "{ "), good.replace("\"counter\":1", "\"counter\":1.0"),
                good.replace("}", ",\"extra\":1}"), good.replace("\"campaignId\":\"camp-1\",", ""),
                good.replace("wasmota-instruction/1", "wasmota-instruction/2")}) {
            assertRejected(InstructionFailure.MALFORMED_INSTRUCTION,
                    () -> InstructionCodec.parse(bad.getBytes(StandardCharsets.UTF_8)));
        }
    }

    static void assertRejected(Reason reason, org.junit.jupiter.api.function.Executable call) {
        RejectedException e = assertThrows(RejectedException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
    }
}

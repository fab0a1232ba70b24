package dev.wasmota.signing.instruction;

import static dev.wasmota.signing.Fixtures.indexOf;
import static dev.wasmota.signing.instruction.SignedInstructionTest.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.InstructionFailure;
import dev.wasmota.signing.error.TrustFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedShadowCommandTest {
    @TempDir
    Path dir;
    Fixtures fx;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
    }

    ShadowCommand command(String vehicle, ShadowCommand.Action action, String reason) {
        return new ShadowCommand("cmd-1", "camp-1", vehicle, "healthy", "ins-7", action, reason, Fixtures.T0,
                Fixtures.T0.plus(Duration.ofHours(1)), "00112233445566778899aabbccddeeff");
    }

    byte[] signed(ShadowCommand c) {
        return SignedShadowCommand.sign(c, fx.oem.campaign().key(), fx.oem.campaign().cert(), fx.clock);
    }

    @Test
    void roundTripsThroughSignatureAndCanonicalJson() {
        for (ShadowCommand.Action a : ShadowCommand.Action.values()) {
            ShadowCommand c = command("vin-1", a, "disagrees on can:0x220 at speed");
            assertEquals(c, SignedShadowCommand.open(signed(c), fx.oem.trustStore(), fx.clock));
            assertEquals(c, ShadowCommand.parse(c.canonicalBytes()));
        }
    }

    @Test
    void refusesACommandSignedByAnotherKeyOrAltered() {
        ShadowCommand c = command("vin-1", ShadowCommand.Action.PROMOTE, "");
        byte[] wrongRole = SignedShadowCommand.sign(c, fx.oem.release().key(), fx.oem.release().cert(), fx.clock);
        assertRejected(TrustFailure.UNTRUSTED_SIGNER, () -> SignedShadowCommand.open(wrongRole, fx.oem.trustStore(), fx.clock));
        byte[] file = signed(command("vin-1", ShadowCommand.Action.DISCARD, ""));
        int at = indexOf(file, "discard".getBytes(StandardCharsets.US_ASCII));
        byte[] altered = file.clone();
        System.arraycopy("promote".getBytes(StandardCharsets.US_ASCII), 0, altered, at, 7);
        assertRejected(TrustFailure.BAD_SIGNATURE, () -> SignedShadowCommand.open(altered, fx.oem.trustStore(), fx.clock));
        assertRejected(TrustFailure.BAD_SIGNATURE, () -> SignedShadowCommand.open(c.canonicalBytes(), fx.oem.trustStore(),
                fx.clock));
        assertRejected(InstructionFailure.MALFORMED_INSTRUCTION, () -> SignedShadowCommand.open(
                new byte[SignedShadowCommand.MAX_FILE_BYTES + 1], fx.oem.trustStore(), fx.clock));
    }

    @Test
    void anInstructionIsNotACommandNorTheOtherWayRound() {
        byte[] instruction = SignedInstruction.sign(new Instruction("ins-7", "camp-1", "vin-1", "healthy", "a".repeat(64), 1,
                Fixtures.T0, Fixtures.T0.plusSeconds(60), "00112233445566778899aabbccddeeff"), fx.oem.campaign().key(),
                fx.oem.campaign().cert(), fx.clock);
        assertRejected(InstructionFailure.MALFORMED_INSTRUCTION, () -> SignedShadowCommand.open(instruction,
                fx.oem.trustStore(), fx.clock));
        byte[] command = signed(command("vin-1", ShadowCommand.Action.PROMOTE, ""));
        assertRejected(InstructionFailure.MALFORMED_INSTRUCTION, () -> SignedInstruction.open(command, fx.oem.trustStore(),
                fx.clock));
    }

    @Test
    void checkRefusesAnotherVehicleExpiredAndFutureCommands() {
        ShadowCommand c = command("vin-1", ShadowCommand.Action.DISCARD, "r");
        Instant now = Fixtures.T0.plusSeconds(60);
        SignedShadowCommand.check(c, "vin-1", now);
        assertRejected(InstructionFailure.WRONG_VEHICLE, () -> SignedShadowCommand.check(c, "vin-2", now));
        assertRejected(InstructionFailure.EXPIRED, () -> SignedShadowCommand.check(c, "vin-1", c.expiresAt().plusSeconds(1)));
        assertRejected(InstructionFailure.NOT_YET_VALID,
                () -> SignedShadowCommand.check(c, "vin-1", Fixtures.T0.minus(Duration.ofMinutes(6))));
    }

    @Test
    void refusesNonCanonicalUnknownMissingAndBadFields() {
        String good = new String(command("vin-1", ShadowCommand.Action.PROMOTE, "ok").canonicalBytes(), StandardCharsets.UTF_8);
        for (String bad : new String[] {good.replace("{", "{ "), good.replace("}", ",\"extra\":1}"),
                good.replace("\"campaignId\":\"camp-1\",", ""), good.replace("\"promote\"", "\"activate\""),
                good.replace("\"ok\"", "\"a\\u0007b\""), good.replace("\"ok\"", "\"" + "x".repeat(201) + "\""),
                good.replace("wasmota-shadow-command/1", "wasmota-shadow-command/2")}) {
            assertRejected(InstructionFailure.MALFORMED_INSTRUCTION, () -> ShadowCommand.parse(bad.getBytes(StandardCharsets.UTF_8)));
        }
    }
}

package dev.wasmota.signing.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CapabilityTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "log,                    log",
            "clock,                  clock",
            "can.read:120,           can.read:120",
            "can.read:0x120,         can.read:120",
            "can.read:1A0-1A3,       can.read:1a0-1a3",
            "can.read:0X1A0-0x1b0,   can.read:1a0-1b0",
            "can.read:120-120,       can.read:120",
            "can.read:00000120,      can.read:120",
            "can.read:0-1fffffff,    can.read:0-1fffffff",
            "can.read:1FFFFFFF,      can.read:1fffffff",
            "can.write:220,          can.write:220",
            "can.write:0x3A0-0x3A3,  can.write:3a0-3a3",
            "i2c:1:50,               i2c:1:50",
            "i2c:1:0x50,             i2c:1:50",
            "i2c:0:7F,               i2c:0:7f",
            "i2c:01:0,               i2c:1:0",
            "i2c:255:0x7f,           i2c:255:7f",
    })
    void parsesEveryContractFormToItsCanonicalText(String text, String canonical) {
        Capability c = Capability.parse(text);
        assertEquals(canonical, c.canonical());
        assertEquals(c, Capability.parse(canonical), "the canonical text parses back to the same capability");
    }

    @Test
    void parsesIntoTypedValues() {
        assertEquals(new Capability.Log(), Capability.parse("log"));
        assertEquals(new Capability.Clock(), Capability.parse("clock"));
        assertEquals(new Capability.CanRead(0x1a0, 0x1a3), Capability.parse("can.read:1a0-1a3"));
        assertEquals(new Capability.CanWrite(0x220, 0x220), Capability.parse("can.write:220"));
        assertEquals(new Capability.I2c(1, 0x50), Capability.parse("i2c:1:50"));
    }

    @Test
    void grantsTheContractImports() {
        assertEquals(Set.of("log"), Capability.parse("log").grantedImports());
        assertEquals(Set.of("clock_us"), Capability.parse("clock").grantedImports());
        assertEquals(Set.of("can_read"), Capability.parse("can.read:120").grantedImports());
        assertEquals(Set.of("can_write"), Capability.parse("can.write:120").grantedImports());
        assertEquals(Set.of("i2c_read", "i2c_write"), Capability.parse("i2c:1:50").grantedImports());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "logs",                    // unknown name
            "can.send:120",            // unknown name
            "can.read:12g",            // bad hex
            "can.read:0x",             // hex without digits
            "can.read:",               // no id at all
            "can.read:+120",           // sign is not hex
            "can.read:-120",           // empty LO
            "can.read:120-",           // empty HI
            "can.read:1-2-3",          // too many range parts
            "can.read:200-100",        // range reversed
            "can.read:20000000",       // id above 0x1fffffff
            "can.read:100-20000000",   // HI above 0x1fffffff
            "can.write:123456789",     // more than 8 hex digits
            "i2c:1:80",                // address above 0x7f
            "i2c:1",                   // missing address
            "i2c:1:",                  // empty address
            "i2c::50",                 // empty bus
            "i2c:1:50:2",              // extra part
            "i2c:x:50",                // bus not decimal
            "i2c:-1:50",               // negative bus
            "i2c:256:50",              // bus above 255
            "i2c:1:zz",                // address not hex
    })
    void rejectsMalformedCapabilityNamingTheInput(String text) {
        RejectedException e = assertMalformed(() -> Capability.parse(text));
        assertTrue(e.getMessage().contains(text), "message should name '" + text + "': " + e.getMessage());
        assertEquals(ExitCode.POLICY, e.exitCode());
    }

    @Test
    void rejectsEmptyCapability() {
        assertMalformed(() -> Capability.parse(""));
        assertMalformed(() -> Capability.parse(null));
    }

    @Test
    void rejectsOverlyLongTextBeforeParsingIt() {
        String longText = "can.read:" + "0".repeat(Capability.MAX_TEXT_LENGTH);
        RejectedException e = assertMalformed(() -> Capability.parse(longText));
        assertTrue(e.getMessage().contains("longer than " + Capability.MAX_TEXT_LENGTH), e.getMessage());
        assertTrue(e.getMessage().contains("can.read:0000"), "message should name the input: " + e.getMessage());
    }

    @Test
    void acceptsTextOfExactlyTheMaximumLength() {
        String text = "can.read:0x" + "0".repeat(8) + "-" + "0".repeat(8);
        String padded = " ".repeat(Capability.MAX_TEXT_LENGTH - text.length()) + text;
        assertEquals(Capability.MAX_TEXT_LENGTH, padded.length());
        assertEquals("can.read:0", Capability.parse(padded).canonical());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "can.read:\uff11\uff12\uff10",  // fullwidth digits 120
            "can.read:\u0661\u0662\u0660",  // Arabic-Indic digits 120
            "i2c:1:\uff15\uff10",           // fullwidth 50
    })
    void rejectsNonAsciiDigits(String text) {
        assertMalformed(() -> Capability.parse(text));
    }

    @Test
    void constructorsRefuseOutOfRangeValues() {
        assertMalformed(() -> new Capability.CanRead(0x200, 0x100));
        assertMalformed(() -> new Capability.CanRead(-1, 0x100));
        assertMalformed(() -> new Capability.CanWrite(0, Capability.MAX_CAN_ID + 1));
        assertMalformed(() -> new Capability.I2c(1, Capability.MAX_I2C_ADDRESS + 1));
        assertMalformed(() -> new Capability.I2c(-1, 0x50));
        assertMalformed(() -> new Capability.I2c(Capability.MAX_I2C_BUS + 1, 0x50));
    }

    static RejectedException assertMalformed(org.junit.jupiter.api.function.Executable call) {
        RejectedException e = assertThrows(RejectedException.class, call);
        assertEquals(PolicyFailure.MALFORMED_CAPABILITY, e.reason(), e.getMessage());
        return e;
    }
}

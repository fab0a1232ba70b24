package dev.wasmota.signing.manifest;

import static dev.wasmota.signing.manifest.CapabilityTest.assertMalformed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.RejectedException;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapabilitySetTest {

    @Test
    void ordersByCanonicalTextAndRemovesDuplicates() {
        CapabilitySet s = CapabilitySet.parse("log, i2c:1:50 ,can.read:0x120,clock,can.read:120,LOG,can.write:220,can.read:1A0-1A3");
        assertEquals(List.of("can.read:120", "can.read:1a0-1a3", "can.write:220", "clock", "i2c:1:50", "log"),
                s.canonicalList());
        assertEquals("can.read:120,can.read:1a0-1a3,can.write:220,clock,i2c:1:50,log", s.canonical());
        assertEquals(s.canonical(), s.toString());
    }

    @Test
    void equalSetsFromDifferentOrdersAreEqual() {
        CapabilitySet a = CapabilitySet.parse("log,clock,can.read:120");
        CapabilitySet b = CapabilitySet.parse("can.read:0x120,clock,log,log");
        assertEquals(a, b);
        List<Capability> reversed = new java.util.ArrayList<>(a.items());
        Collections.reverse(reversed);
        assertEquals(a, new CapabilitySet(reversed));
    }

    @Test
    void blankListIsTheEmptySet() {
        assertEquals(CapabilitySet.EMPTY, CapabilitySet.parse(""));
        assertEquals(CapabilitySet.EMPTY, CapabilitySet.parse("  "));
        assertEquals(CapabilitySet.EMPTY, CapabilitySet.parse(null));
        assertEquals("", CapabilitySet.EMPTY.canonical());
    }

    @Test
    void rejectsEmptyItemInAListNamingTheList() {
        RejectedException e = assertMalformed(() -> CapabilitySet.parse("log,,clock"));
        assertTrue(e.getMessage().contains("log,,clock"), "message should name the list: " + e.getMessage());
    }

    @Test
    void rejectsTrailingAndLeadingCommas() {
        assertMalformed(() -> CapabilitySet.parse("log,"));
        assertMalformed(() -> CapabilitySet.parse(",log"));
    }

    @Test
    void rejectsOneMalformedItemAmongGoodOnesNamingIt() {
        RejectedException e = assertMalformed(() -> CapabilitySet.parse("log,can.read:12g,clock"));
        assertTrue(e.getMessage().contains("can.read:12g"), e.getMessage());
    }

    @Test
    void rejectsMoreThanMaxItems() {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i <= CapabilitySet.MAX_ITEMS; i++) {
            list.append(i == 0 ? "" : ",").append("can.read:").append(Integer.toHexString(i));
        }
        assertMalformed(() -> CapabilitySet.parse(list.toString()));
        String atMax = list.substring(0, list.lastIndexOf(","));
        assertEquals(CapabilitySet.MAX_ITEMS, CapabilitySet.parse(atMax).items().size());
    }

    @Test
    void rejectsOverlyLongListBeforeSplittingIt() {
        String huge = "log,".repeat(CapabilitySet.MAX_ITEMS * (Capability.MAX_TEXT_LENGTH + 1));
        RejectedException e = assertMalformed(() -> CapabilitySet.parse(huge));
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
    }

    @Test
    void rangeSplitOverTwoGrantedRangesIsCovered() {
        CapabilitySet granted = CapabilitySet.parse("can.read:100-17f,can.read:180-1ff");
        assertTrue(granted.covers(Capability.parse("can.read:100-1ff")));
        assertTrue(granted.covers(Capability.parse("can.read:170-190")));
        assertEquals(List.of(), granted.uncovered(CapabilitySet.parse("can.read:100-1ff")));
    }

    @Test
    void overlappingAndUnsortedGrantedRangesCover() {
        CapabilitySet granted = CapabilitySet.parse("can.write:150-1ff,can.write:100-160,can.write:120-130");
        assertTrue(granted.covers(Capability.parse("can.write:100-1ff")));
    }

    @Test
    void rangeWithAGapIsNotCovered() {
        CapabilitySet granted = CapabilitySet.parse("can.read:100-17e,can.read:180-1ff");
        assertFalse(granted.covers(Capability.parse("can.read:100-1ff")));
        assertFalse(granted.covers(Capability.parse("can.read:17f")));
        assertTrue(granted.covers(Capability.parse("can.read:17e")));
        assertEquals(List.of(Capability.parse("can.read:100-1ff")),
                granted.uncovered(CapabilitySet.parse("can.read:100-1ff,can.read:180")));
    }

    @Test
    void rangeReachingPastTheGrantIsNotCovered() {
        CapabilitySet granted = CapabilitySet.parse("can.read:100-1ff");
        assertFalse(granted.covers(Capability.parse("can.read:100-200")));
        assertFalse(granted.covers(Capability.parse("can.read:ff-1ff")));
        assertTrue(granted.covers(Capability.parse("can.read:100-1ff")));
    }

    @Test
    void rangeAtTheTopOfTheIdSpaceIsCovered() {
        CapabilitySet granted = CapabilitySet.parse("can.read:0-1fffffff");
        assertTrue(granted.covers(Capability.parse("can.read:1fffffff")));
        assertTrue(granted.covers(Capability.parse("can.read:0-1fffffff")));
    }

    @Test
    void readRangeDoesNotCoverWriteAndViceVersa() {
        assertFalse(CapabilitySet.parse("can.read:0-1fffffff").covers(Capability.parse("can.write:120")));
        assertFalse(CapabilitySet.parse("can.write:0-1fffffff").covers(Capability.parse("can.read:120")));
    }

    @Test
    void simpleCapabilitiesAreCoveredOnlyByThemselves() {
        CapabilitySet granted = CapabilitySet.parse("log,i2c:1:50");
        assertTrue(granted.covers(Capability.parse("log")));
        assertFalse(granted.covers(Capability.parse("clock")));
        assertTrue(granted.covers(Capability.parse("i2c:1:50")));
        assertFalse(granted.covers(Capability.parse("i2c:1:51")));
        assertFalse(granted.covers(Capability.parse("i2c:2:50")));
        assertEquals(List.of(Capability.parse("clock"), Capability.parse("i2c:2:50")),
                granted.uncovered(CapabilitySet.parse("log,clock,i2c:2:50")));
    }

    @Test
    void emptySetCoversNothingButTheEmptyRequest() {
        assertEquals(List.of(), CapabilitySet.EMPTY.uncovered(CapabilitySet.EMPTY));
        assertEquals(1, CapabilitySet.EMPTY.uncovered(CapabilitySet.parse("log")).size());
    }

    @Test
    void permitsImportOnlyFromModuleEcuAndOnlyGrantedNames() {
        CapabilitySet s = CapabilitySet.parse("log,clock,can.read:120,i2c:1:50");
        assertTrue(s.permitsImport("ecu", "log"));
        assertTrue(s.permitsImport("ecu", "clock_us"));
        assertTrue(s.permitsImport("ecu", "can_read"));
        assertTrue(s.permitsImport("ecu", "i2c_read"));
        assertTrue(s.permitsImport("ecu", "i2c_write"));
        assertFalse(s.permitsImport("ecu", "can_write"));
        assertFalse(s.permitsImport("ecu", "clock"), "the capability name is not the import name");
        assertFalse(s.permitsImport("env", "log"));
        assertFalse(s.permitsImport("wasi_snapshot_preview1", "fd_write"));
        assertFalse(s.permitsImport("ECU", "log"));
        assertEquals(Set.of("can_read", "clock_us", "i2c_read", "i2c_write", "log"), s.grantedImports());
    }

    @Test
    void permitsCanReadExactlyWithinTheRange() {
        CapabilitySet s = CapabilitySet.parse("can.read:1a0-1a3,can.read:1b0");
        assertFalse(s.permitsCanRead(0x19f));
        assertTrue(s.permitsCanRead(0x1a0));
        assertTrue(s.permitsCanRead(0x1a3));
        assertFalse(s.permitsCanRead(0x1a4));
        assertTrue(s.permitsCanRead(0x1b0));
        assertFalse(s.permitsCanRead(0x1b1));
        assertFalse(s.permitsCanRead(-1));
        assertFalse(s.permitsCanWrite(0x1a0), "a read grant is not a write grant");
    }

    @Test
    void permitsCanWriteExactlyWithinTheRange() {
        CapabilitySet s = CapabilitySet.parse("can.write:3a0-3a3");
        assertFalse(s.permitsCanWrite(0x39f));
        assertTrue(s.permitsCanWrite(0x3a0));
        assertTrue(s.permitsCanWrite(0x3a3));
        assertFalse(s.permitsCanWrite(0x3a4));
        assertFalse(s.permitsCanRead(0x3a0));
        CapabilitySet top = CapabilitySet.parse("can.write:1fffffff");
        assertTrue(top.permitsCanWrite(Capability.MAX_CAN_ID));
        assertFalse(top.permitsCanWrite(Integer.MAX_VALUE));
        assertFalse(top.permitsCanWrite(Integer.MIN_VALUE));
    }

    @Test
    void permitsI2cOnlyOnTheGrantedBusAndAddress() {
        CapabilitySet s = CapabilitySet.parse("i2c:1:50");
        assertTrue(s.permitsI2c(1, 0x50));
        assertFalse(s.permitsI2c(1, 0x51));
        assertFalse(s.permitsI2c(1, 0x4f));
        assertFalse(s.permitsI2c(0, 0x50));
        assertFalse(s.permitsI2c(2, 0x50));
    }

    @Test
    void permitsI2cAnswersFalseForValuesOutsideTheGrammar() {
        // the host passes guest-controlled integers here: a question, never an exception
        CapabilitySet s = CapabilitySet.parse("i2c:1:50");
        assertFalse(s.permitsI2c(1, 0x80));
        assertFalse(s.permitsI2c(1, -1));
        assertFalse(s.permitsI2c(-1, 0x50));
        assertFalse(s.permitsI2c(256, 0x50));
    }
}

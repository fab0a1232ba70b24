package dev.wasmota.ecu.slots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.ecu.slots.SlotRecovery.Kind;
import dev.wasmota.contract.error.RejectedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlotStoreTest {
    static final String ID = "brake-ctrl";

    @TempDir
    Path dir;

    @Test
    void firstInstallStagesIntoAAndNothingIsActiveUntilCommitted() {
        SlotStore store = SlotStore.open(dir);
        byte[] v1 = pkg("v1");

        assertEquals(Slot.A, store.stage(ID, v1, meta(v1, "1.0.0", 1)));
        assertTrue(store.activeSlot(ID).isEmpty());
        assertEquals(List.of(), store.modules());

        ModuleState state = store.commit(ID, Slot.A);
        assertEquals(Slot.A, state.active());
        assertNull(state.previous());
        assertEquals(List.of(ID), store.modules());
        assertArrayEquals(v1, store.read(ID, Slot.A));
    }

    @Test
    void stagingNeverTouchesTheActiveSlot() throws IOException {
        SlotStore store = installed("v1");
        Path activePackage = dir.resolve("modules/brake-ctrl/A/package.wotapkg");
        byte[] activeBytes = Files.readAllBytes(activePackage);
        byte[] stateBytes = Files.readAllBytes(dir.resolve("modules/brake-ctrl/state.json"));

        byte[] v2 = pkg("v2");
        assertEquals(Slot.B, store.stage(ID, v2, meta(v2, "2.0.0", 1)));
        byte[] v3 = pkg("v3");
        assertEquals(Slot.B, store.stage(ID, v3, meta(v3, "3.0.0", 1)));

        assertArrayEquals(activeBytes, Files.readAllBytes(activePackage));
        assertArrayEquals(stateBytes, Files.readAllBytes(dir.resolve("modules/brake-ctrl/state.json")));
        assertEquals(Optional.of(Slot.A), store.activeSlot(ID));
        assertArrayEquals(v3, store.read(ID, Slot.B));
    }

    @Test
    void commitSwitchesSlotsAndRemembersThePreviousOne() {
        SlotStore store = installed("v1");
        byte[] v2 = pkg("v2");
        SlotMetadata m2 = meta(v2, "2.0.0", 1);
        Slot staged = store.stage(ID, v2, m2);

        ModuleState state = store.commit(ID, staged);

        assertEquals(Slot.B, state.active());
        assertEquals(Slot.A, state.previous());
        assertEquals(m2, state.activeMetadata());
        assertEquals("1.0.0", state.previousMetadata().orElseThrow().version());
        assertEquals(state, SlotStore.open(dir).state(ID).orElseThrow());
        assertEquals(Slot.A, store.inactiveSlot(ID));
    }

    @Test
    void rollbackReactivatesThePreviousSlotOnceAndThenRefuses() {
        SlotStore store = installed("v1");
        byte[] v2 = pkg("v2");
        store.commit(ID, store.stage(ID, v2, meta(v2, "2.0.0", 1)));

        ModuleState back = store.rollback(ID);

        assertEquals(Slot.A, back.active());
        assertNull(back.previous());
        assertEquals("1.0.0", SlotStore.open(dir).state(ID).orElseThrow().activeMetadata().version());
        assertRefused(SlotFailure.NO_PREVIOUS_SLOT, () -> store.rollback(ID));
    }

    @Test
    void rollbackOfAModuleNeverInstalledIsRefused() {
        assertRefused(SlotFailure.NOT_INSTALLED, () -> SlotStore.open(dir).rollback("other"));
    }

    @Test
    void stagingOverTheRollbackTargetFirstForgetsIt() {
        SlotStore store = installed("v1");
        byte[] v2 = pkg("v2");
        store.commit(ID, store.stage(ID, v2, meta(v2, "2.0.0", 1)));
        byte[] v3 = pkg("v3");

        assertEquals(Slot.A, store.stage(ID, v3, meta(v3, "3.0.0", 1)));

        assertNull(store.state(ID).orElseThrow().previous());
        assertRefused(SlotFailure.NO_PREVIOUS_SLOT, () -> store.rollback(ID));
    }

    @Test
    void commitOfAnEmptySlotIsRefused() {
        assertRefused(SlotFailure.EMPTY_SLOT, () -> SlotStore.open(dir).commit(ID, Slot.B));
    }

    @Test
    void stageRefusesBytesThatDoNotMatchTheirDigest() {
        SlotStore store = SlotStore.open(dir);
        assertRefused(SlotFailure.PACKAGE_DIGEST_MISMATCH, () -> store.stage(ID, pkg("v1"), meta(pkg("v2"), "1.0.0", 1)));
    }

    @Test
    void floorOnlyRisesAndSurvivesReopen() {
        SlotStore store = SlotStore.open(dir);
        assertEquals(0, store.floor(ID));
        store.raiseFloor(ID, 3);
        store.raiseFloor(ID, 3);

        assertRefused(SlotFailure.FLOOR_LOWERING, () -> store.raiseFloor(ID, 2));
        SlotStore reopened = SlotStore.open(dir);
        assertEquals(3, reopened.floor(ID));
        byte[] old = pkg("old");
        assertRefused(SlotFailure.BELOW_FLOOR, () -> reopened.stage(ID, old, meta(old, "0.9.0", 2)));
    }

    @Test
    void rollbackBelowTheFloorIsRefused() {
        SlotStore store = installed("v1");
        byte[] v2 = pkg("v2");
        store.commit(ID, store.stage(ID, v2, meta(v2, "2.0.0", 5)));
        store.raiseFloor(ID, 5);

        assertRefused(SlotFailure.BELOW_FLOOR, () -> store.rollback(ID));
        assertEquals(Slot.B, store.activeSlot(ID).orElseThrow());
    }

    @Test
    void commitRechecksTheFloorRaisedAfterStaging() {
        SlotStore store = SlotStore.open(dir);
        byte[] v1 = pkg("v1");
        store.stage(ID, v1, meta(v1, "1.0.0", 1));
        store.raiseFloor(ID, 2);

        assertRefused(SlotFailure.BELOW_FLOOR, () -> store.commit(ID, Slot.A));
    }

    @Test
    void tempLeftoversAreRemovedOnOpenAndOtherFilesKept() throws IOException {
        installed("v1");
        Path moduleDir = dir.resolve("modules/brake-ctrl");
        Path t1 = DurableFiles.writeTemp(moduleDir.resolve("state.json"), "half".getBytes(StandardCharsets.UTF_8));
        Path t2 = DurableFiles.writeTemp(moduleDir.resolve("B/package.wotapkg"), new byte[10]);
        Path keep = Files.writeString(moduleDir.resolve("B/notes.txt"), "keep");

        SlotStore store = SlotStore.open(dir);

        assertFalse(Files.exists(t1));
        assertFalse(Files.exists(t2));
        assertTrue(Files.exists(keep));
        assertEquals(2, store.recovery().removedTempFiles().size());
        assertTrue(store.recovery().issues().isEmpty());
        assertEquals(Slot.A, store.activeSlot(ID).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "..", ".", "a/b", "a\\b", "", "Brake", "-x", ".hidden", "x y", "/etc",
        "a\u0000b", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmn"})
    void moduleIdsThatCouldLeaveTheStoreAreRefused(String id) {
        SlotStore store = SlotStore.open(dir);
        byte[] p = pkg("p");
        assertRefused(SlotFailure.INVALID_MODULE_ID, () -> store.stage(id, p, meta(p, "1.0.0", 1)));
        assertRefused(SlotFailure.INVALID_MODULE_ID, () -> store.state(id));
        assertRefused(SlotFailure.INVALID_MODULE_ID, () -> store.rollback(id));
        assertRefused(SlotFailure.INVALID_MODULE_ID, () -> store.raiseFloor(id, 1));
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void alteredActivePackageIsRefusedOnReadAndReportedOnOpen() throws IOException {
        SlotStore store = installed("v1");
        byte[] v2 = pkg("v2");
        store.commit(ID, store.stage(ID, v2, meta(v2, "2.0.0", 1)));
        Path active = dir.resolve("modules/brake-ctrl/B/package.wotapkg");
        byte[] bytes = Files.readAllBytes(active);
        bytes[0] ^= 1;
        Files.write(active, bytes);

        assertRefused(SlotFailure.SLOT_CORRUPT, () -> store.read(ID, Slot.B));
        SlotStore reopened = SlotStore.open(dir);
        SlotRecovery.Issue issue = reopened.recovery().issues().get(0);
        assertEquals(Kind.ACTIVE_SLOT_BROKEN, issue.kind());
        assertEquals(Slot.B, issue.slot());
        assertEquals(Slot.A, reopened.rollback(ID).active());
    }

    @Test
    void missingPreviousPackageIsReportedAndRollbackRefused() throws IOException {
        SlotStore store = installed("v1");
        byte[] v2 = pkg("v2");
        store.commit(ID, store.stage(ID, v2, meta(v2, "2.0.0", 1)));
        Files.delete(dir.resolve("modules/brake-ctrl/A/package.wotapkg"));

        SlotStore reopened = SlotStore.open(dir);

        assertEquals(Kind.PREVIOUS_SLOT_BROKEN, reopened.recovery().issues().get(0).kind());
        assertRefused(SlotFailure.SLOT_CORRUPT, () -> reopened.rollback(ID));
    }

    @Test
    void unreadableStateIsReportedNotGuessed() throws IOException {
        installed("v1");
        Files.writeString(dir.resolve("modules/brake-ctrl/state.json"), "{\"moduleId\":\"brake-ctrl\"");

        SlotStore store = SlotStore.open(dir);

        assertEquals(Kind.STATE_UNREADABLE, store.recovery().issues().get(0).kind());
        assertRefused(SlotFailure.STATE_UNREADABLE, () -> store.activeSlot(ID));
    }

    @Test
    void stateOfAnotherModuleCopiedInIsRefused() throws IOException {
        installed("v1");
        Path other = dir.resolve("modules/other");
        Files.createDirectories(other);
        Files.copy(dir.resolve("modules/brake-ctrl/state.json"), other.resolve("state.json"));

        assertRefused(SlotFailure.STATE_UNREADABLE, () -> SlotStore.open(dir).state("other"));
    }

    private SlotStore installed(String content) {
        SlotStore store = SlotStore.open(dir);
        byte[] p = pkg(content);
        store.commit(ID, store.stage(ID, p, meta(p, "1.0.0", 1)));
        return store;
    }

    static byte[] pkg(String content) {
        return ("package " + content).getBytes(StandardCharsets.UTF_8);
    }

    static SlotMetadata meta(byte[] pkg, String version, long securityVersion) {
        return SlotMetadata.forPackage(pkg, version, securityVersion, "e".repeat(64), Instant.parse("2026-03-01T10:00:00Z"));
    }

    static void assertRefused(SlotFailure reason, Executable call) {
        RejectedException e = assertThrows(RejectedException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
    }
}

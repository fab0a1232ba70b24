package dev.wasmota.ecu.slots;

import static dev.wasmota.ecu.slots.SlotStoreTest.ID;
import static dev.wasmota.ecu.slots.SlotStoreTest.meta;
import static dev.wasmota.ecu.slots.SlotStoreTest.pkg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.io.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops each store operation at every step it announces (the hook throws, as a kill would) and
 * checks that reopening finds the old or the new state, consistent with the bytes on disk. The
 * one other state allowed is the old one with its rollback target withdrawn, which staging over
 * that target commits first on purpose.
 */
class SlotStoreCrashTest {
    @TempDir
    Path root;

    private static final byte[] V1 = pkg("v1");
    private static final byte[] V2 = pkg("v2");
    private static final byte[] V3 = pkg("v3");

    /**
     * A named scenario: how to reach the state before, the operation that is interrupted, and
     * whether that operation overwrites the rollback target.
     */
    private record Scenario(
            String name, Consumer<SlotStore> before, Consumer<SlotStore> operation, boolean overwritesRollbackTarget) {}

    private static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash(String step) {
            super("crash at " + step);
        }
    }

    private static List<Scenario> scenarios() {
        Consumer<SlotStore> none = s -> {};
        Consumer<SlotStore> v1 = s -> s.commit(ID, s.stage(ID, V1, meta(V1, "1.0.0", 1)));
        Consumer<SlotStore> v1v2 = v1.andThen(s -> s.commit(ID, s.stage(ID, V2, meta(V2, "2.0.0", 1))));
        return List.of(
                new Scenario("first install", none, s -> s.commit(ID, s.stage(ID, V1, meta(V1, "1.0.0", 1))), false),
                new Scenario("upgrade", v1, s -> s.commit(ID, s.stage(ID, V2, meta(V2, "2.0.0", 1))), false),
                new Scenario("upgrade over rollback target", v1v2,
                        s -> s.commit(ID, s.stage(ID, V3, meta(V3, "3.0.0", 2))), true),
                new Scenario("rollback", v1v2, s -> s.rollback(ID), false),
                new Scenario("raise floor", v1v2, s -> s.raiseFloor(ID, 1), false));
    }

    @TestFactory
    Stream<DynamicTest> everyStepLeavesOldOrNewState() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Scenario scenario : scenarios()) {
            Path dir = Files.createDirectories(root.resolve(scenario.name().replace(' ', '-')));
            SlotStore store = SlotStore.open(dir);
            scenario.before().accept(store);
            Snapshot old = Snapshot.of(store);
            List<String> steps = new ArrayList<>();
            scenario.operation().accept(SlotStore.open(dir, steps::add));
            Snapshot updated = Snapshot.of(SlotStore.open(dir));
            assertFalse(steps.isEmpty(), scenario.name() + " announces no steps");
            for (String step : steps) {
                tests.add(DynamicTest.dynamicTest(scenario.name() + " / " + step,
                        () -> crashAt(scenario, step, old, updated)));
            }
        }
        return tests.stream();
    }

    private void crashAt(Scenario scenario, String step, Snapshot old, Snapshot updated) throws IOException {
        Path crashed = Files.createTempDirectory(root, "crash");
        scenario.before().accept(SlotStore.open(crashed));

        SlotStore dying = SlotStore.open(crashed, reached -> {
            if (reached.equals(step)) {
                throw new Crash(reached);
            }
        });
        assertThrows(Crash.class, () -> scenario.operation().accept(dying));

        SlotStore recovered = SlotStore.open(crashed);
        assertTrue(recovered.recovery().issues().isEmpty(), () -> recovered.recovery().issues().toString());
        assertEquals(List.of(), tempFiles(crashed));
        Snapshot after = Snapshot.of(recovered);
        boolean withdrawn = scenario.overwritesRollbackTarget() && after.equals(old.withoutRollbackTarget());
        assertTrue(after.equals(old) || after.equals(updated) || withdrawn,
                () -> "after a crash at " + step + ": " + after + "\nold: " + old + "\nnew: " + updated);

        if (!after.equals(updated)) {
            scenario.operation().accept(recovered);
            assertEquals(updated, Snapshot.of(SlotStore.open(crashed)), "the interrupted operation can be redone");
        }
    }

    /** The committed state, the floor, and the bytes of every committed slot, as read back. */
    private record Snapshot(Optional<ModuleState> state, long floor, List<String> committedPackages) {
        static Snapshot of(SlotStore store) {
            Optional<ModuleState> state = store.state(ID);
            List<String> packages = new ArrayList<>();
            state.ifPresent(s -> s.slots().keySet().forEach(slot -> {
                packages.add(slot + "=" + new String(store.read(ID, slot), StandardCharsets.UTF_8));
            }));
            return new Snapshot(state, store.floor(ID), packages);
        }

        Snapshot withoutRollbackTarget() {
            ModuleState s = state.orElseThrow();
            ModuleState released = new ModuleState(ID, s.active(), null, Map.of(s.active(), s.activeMetadata()));
            List<String> active = committedPackages.stream().filter(p -> p.startsWith(s.active() + "=")).toList();
            return new Snapshot(Optional.of(released), floor, active);
        }
    }

    private static List<Path> tempFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(DurableFiles.TEMP_SUFFIX)).toList();
        }
    }
}

package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Every instance starts from the module as signed, whatever an earlier instance of the same
 * compiled module did: one test per kind of instance state ({@code state_leak.wasm}), each across
 * the three ways a new instance comes: the rebuild after a fault, a reset, and another sandbox of
 * the same compiled module (simulated vehicles share one).
 */
class InstanceFreshnessTest {
    private static final ModuleLimits LIMITS = new ModuleLimits(4, 200_000, 10);

    /** How the instance that must be fresh is obtained after the first one changed its state. */
    enum NextInstance {
        REBUILT_AFTER_A_TRAP(first -> {
            assertEquals(FaultKind.TRAP, first.call("trap").fault());
            return first;
        }),
        RESET(first -> {
            first.reset();
            return first;
        }),
        ANOTHER_SANDBOX_OF_THE_SAME_COMPILED_MODULE(first -> sandbox());

        final Function<SandboxedModule, SandboxedModule> next;

        NextInstance(Function<SandboxedModule, SandboxedModule> next) {
            this.next = next;
        }
    }

    private static SandboxedModule sandbox() {
        return SandboxedModule.builder(Corpus.compiled("state_leak", "")).id("state_leak").limits(LIMITS).build();
    }

    private static int value(SandboxedModule m, String export) {
        CallResult r = m.call(export);
        assertTrue(r.ok(), () -> export + ": " + r);
        return (int) r.value(0);
    }

    private static void inFreshInstance(NextInstance how, String[] change, String probe, int expected) {
        List<SandboxedModule> open = new ArrayList<>();
        try {
            SandboxedModule first = sandbox();
            open.add(first);
            for (String export : change) {
                first.call(export);
            }
            SandboxedModule next = how.next.apply(first);
            open.add(next);
            assertEquals(expected, value(next, probe), () -> probe + " after " + String.join(", ", change) + " in an"
                    + " earlier instance, " + how);
        } finally {
            open.forEach(SandboxedModule::close);
        }
    }

    @ParameterizedTest
    @EnumSource(NextInstance.class)
    void tableStartsAtItsSignedSize(NextInstance how) {
        inFreshInstance(how, new String[] {"grow_table", "grow_table", "grow_table"}, "table_size", 0);
    }

    @ParameterizedTest
    @EnumSource(NextInstance.class)
    void memoryStartsAtItsSignedSize(NextInstance how) {
        inFreshInstance(how, new String[] {"grow_memory", "grow_memory"}, "memory_pages", 1);
    }

    @ParameterizedTest
    @EnumSource(NextInstance.class)
    void globalStartsAtItsSignedValue(NextInstance how) {
        inFreshInstance(how, new String[] {"bump_global", "bump_global"}, "bump_global", 1);
    }

    @ParameterizedTest
    @EnumSource(NextInstance.class)
    void dataSegmentDroppedEarlierIsThereAgain(NextInstance how) {
        inFreshInstance(how, new String[] {"drop_data"}, "read_data", 42);
    }

    @ParameterizedTest
    @EnumSource(NextInstance.class)
    void elementSegmentDroppedEarlierIsThereAgain(NextInstance how) {
        inFreshInstance(how, new String[] {"drop_elem"}, "call_elem", 42);
    }

    @Test
    void droppedSegmentsTrapInTheInstanceThatDroppedThem() {
        try (SandboxedModule m = sandbox()) {
            m.call("drop_data");
            assertEquals(FaultKind.TRAP, m.call("read_data").fault());
            m.call("drop_elem");
            assertEquals(FaultKind.TRAP, m.call("call_elem").fault());
        }
    }

    @Test
    void moduleMeantToTrapEveryFourthTickTrapsOnlyEveryFourthTickAcrossRebuilds() {
        try (SandboxedModule m = sandbox()) {
            List<Integer> trapped = new ArrayList<>();
            for (int tick = 1; tick <= 12; tick++) {
                if (!m.call("tick").ok()) {
                    trapped.add(tick);
                }
            }
            assertEquals(List.of(4, 8, 12), trapped);
            assertEquals(3, m.faults(FaultKind.TRAP));
        }
    }
}

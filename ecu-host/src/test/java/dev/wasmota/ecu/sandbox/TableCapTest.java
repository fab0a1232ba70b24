package dev.wasmota.ecu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.ResourceCaps;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The run-time side of the resource caps: every {@code table.grow} draws on one budget of table
 * elements per instance, a grow past it returns -1 before anything is allocated, and an instance
 * whose declarations exceed its caps is never built.
 */
class TableCapTest {
    private static final ResourceCaps STATE_LEAK = new ResourceCaps(2, 5, 1, 1, 1, 1, 1);

    private static SandboxedModule sandbox(String name, ResourceCaps caps) {
        return SandboxedModule.builder(Corpus.compiled(name, "")).id(name)
                .limits(new ModuleLimits(4, 200_000, 10, caps)).build();
    }

    private static long value(SandboxedModule m, String export, long... args) {
        CallResult r = m.call(export, args);
        assertTrue(r.ok(), () -> export + ": " + r);
        return r.value(0);
    }

    @Test
    void everyGrowPastTheCapSharedByAllTablesReturnsMinusOne() {
        try (SandboxedModule m = sandbox("state_leak", STATE_LEAK)) {
            for (int i = 0; i < 4; i++) {
                assertEquals(i, value(m, "grow_table"), "room for 4 more beside table $u's one element");
            }
            assertEquals(-1, (int) value(m, "grow_table"));
            assertEquals(4, value(m, "table_size"));
            assertEquals(1, m.refusedTableGrows());
            assertEquals(42, value(m, "call_elem"), "the other table still works");
        }
    }

    @Test
    void tablesOfAModuleWithoutRoomToGrowStayAsDeclared() {
        try (SandboxedModule m = sandbox("state_leak", new ResourceCaps(2, 1, 1, 1, 1, 1, 1))) {
            assertEquals(-1, (int) value(m, "grow_table"));
            assertEquals(0, value(m, "table_size"));
        }
    }

    @Test
    void theBudgetStartsAgainWithEveryInstance() {
        try (SandboxedModule m = sandbox("state_leak", STATE_LEAK)) {
            for (int i = 0; i < 5; i++) {
                m.call("grow_table");
            }
            assertEquals(FaultKind.TRAP, m.call("trap").fault());
            assertEquals(0, value(m, "grow_table"), "a fresh instance has its whole budget");
            assertEquals(1, m.refusedTableGrows(), "counted over the sandbox's instances");
        }
    }

    @Test
    void fillAndCopyInCompiledCodeSeeTheInstancesOwnTable() {
        try (SandboxedModule m = sandbox("state_leak", STATE_LEAK)) {
            m.call("grow_table");
            m.call("grow_table");
            assertTrue(m.call("fill_table", 2).ok());
            assertTrue(m.call("copy_table", 2).ok());
            assertEquals(FaultKind.TRAP, m.call("fill_table", 3).fault(), "past the 2 entries this instance grew");
            assertEquals(FaultKind.TRAP, m.call("copy_table", 1).fault(), "the rebuilt instance's table is empty");
        }
    }

    @Test
    void sixteenTablesAskingForTenMillionEntriesEachGetMinusOneSixteenTimes() {
        try (SandboxedModule m = sandbox("table_bomb_16", ResourceCaps.DEFAULT_CEILINGS)) {
            m.call("arm", 1);
            assertTrue(m.call("tick").ok());
            assertTrue(m.call("tick").ok());
            assertEquals(0, value(m, "grown"));
            assertEquals(32, value(m, "refused"));
            assertEquals(1, value(m, "size0"));
            assertEquals(32, m.refusedTableGrows());
        }
    }

    @Test
    void refusesToInstantiateTablesDeclaredBeyondTheCapsBeforeAllocatingThem() {
        CompiledModule bomb = Corpus.compiled("table_bomb_declared", "");
        RejectedException e = assertThrows(RejectedException.class, () -> SandboxedModule.builder(bomb)
                .limits(new ModuleLimits(1, 200_000, 10)).build());
        assertEquals(PolicyFailure.RESOURCE_LIMIT, e.reason());
        assertEquals(ExitCode.POLICY, e.exitCode());
        assertTrue(e.getMessage().contains("100,000,000 table elements at start (cap 65,536)"), e.getMessage());
    }

    @Test
    void refusesToInstantiateAGlobalsBomb() {
        RejectedException e = assertThrows(RejectedException.class, () -> sandbox("globals_bomb",
                ResourceCaps.DEFAULT_CEILINGS));
        assertEquals(PolicyFailure.RESOURCE_LIMIT, e.reason());
        assertTrue(e.getMessage().contains("20,000 globals (cap 4,096)"), e.getMessage());
    }

    @Test
    void refusesAnInstanceBuiltPastItsBudgetWithItsOwnReason() {
        CompiledModule tenMillion = CompiledModule.compile(oneTable(10_000_000), CapabilitySet.EMPTY);
        ModuleLimits roomy = new ModuleLimits(1, 200_000, 10, ResourceCaps.FORMAT_MAXIMA);
        RejectedException e = assertThrows(RejectedException.class, () -> SandboxedModule.builder(tenMillion)
                .limits(roomy).instantiateBudget(Duration.ofMillis(1)).build(),
                "10 million table entries (80 MB of references) take longer than 1 ms to allocate");
        assertEquals(HostPolicyFailure.INSTANTIATION_TIMEOUT, e.reason());
        assertEquals(ExitCode.POLICY, e.exitCode());
        assertTrue(e.getMessage().contains("took longer than 1 ms"), e.getMessage());
    }

    /** A module exporting an empty {@code tick} and declaring one funcref table of {@code entries}. */
    static byte[] oneTable(int entries) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        out.writeBytes(new byte[] {1, 4, 1, 0x60, 0, 0});
        out.writeBytes(new byte[] {3, 2, 1, 0});
        byte[] min = leb(entries);
        out.write(4);
        out.write(3 + min.length);
        out.writeBytes(new byte[] {1, 0x70, 0});
        out.writeBytes(min);
        out.writeBytes(new byte[] {7, 8, 1, 4, 't', 'i', 'c', 'k', 0, 0});
        out.writeBytes(new byte[] {10, 4, 1, 2, 0, 0x0B});
        return out.toByteArray();
    }

    private static byte[] leb(int v) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        do {
            int b = v & 0x7F;
            v >>>= 7;
            out.write(v == 0 ? b : b | 0x80);
        } while (v != 0);
        return out.toByteArray();
    }
}

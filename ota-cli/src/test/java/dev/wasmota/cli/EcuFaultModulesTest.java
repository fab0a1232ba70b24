package dev.wasmota.cli;

import static dev.wasmota.cli.EcuCli.NONE;
import static dev.wasmota.cli.EcuCli.assertRefused;
import static dev.wasmota.cli.EcuCli.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.EcuCli.Result;
import dev.wasmota.cli.EcuCli.Row;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus' misbehaving modules through {@code ota ecu install|run|log}: each installs or is
 * refused as testdata/wasm/README.md says, its faults show in the run table, and the host rolls a
 * faulting module back by itself. Runs that must show every fault in the table use
 * {@link EcuCli#faultsNeverCluster()}, so the fault window (3 in 5 minutes) never trips.
 */
class EcuFaultModulesTest {
    @TempDir
    static Path dir;
    static EcuCli cli;
    static Path v1;

    @BeforeAll
    static void release() {
        cli = new EcuCli(dir);
        v1 = cli.healthy(1);
    }

    private static Path state(String name) {
        return dir.resolve("state-" + name);
    }

    /** A fault module installed as its own module beside healthy v1; returns the state. */
    private static Path besideHealthy(String name, String wasm, long deadlineUs) {
        Path state = state(name);
        cli.installed(state, v1);
        Result r = cli.installed(state, cli.released(wasm, spec(name, "1.0.0", NONE, 1, deadlineUs, List.of("ecu-a"))));
        assertTrue(r.out().contains("installed " + name + " 1.0.0 -> slot A"), r.out());
        return state;
    }

    private static void assertClean(Row row) {
        assertTrue(row.calls() > 10, row::toString);
        assertEquals(0, row.misses() + row.traps() + row.other(), () -> "no faults: " + row);
    }

    @Test
    void runawayMissesEveryDeadlineWhileTheOtherModuleKeepsItsOwn() {
        Path state = besideHealthy("runaway", "runaway.wasm", EcuCli.TIGHT_DEADLINE_US);

        Result r = cli.run(EcuCli.faultsNeverCluster(), state, "2s");
        Row runaway = r.row("runaway");
        assertTrue(runaway.misses() + runaway.overloads() >= 10, runaway::toString);
        assertTrue(runaway.misses() >= 1, () -> "counted against itself: " + runaway);
        assertEquals(runaway.calls(), runaway.misses() + runaway.overloads(),
                () -> "every tick stopped at its deadline: " + runaway);
        assertEquals(0, runaway.traps() + runaway.other(), runaway::toString);
        assertTrue(runaway.worstUs() < 400_000, () -> "stopped by the interrupt, not abandoned after the 500 ms grace: "
                + runaway);
        assertClean(r.row("healthy"));
    }

    @Test
    void runawayAloneIsStoppedWhenItsFaultWindowTrips() {
        Path state = state("runaway-alone");
        cli.installed(state, cli.released("runaway.wasm",
                spec("runaway", "1.0.0", NONE, 1, EcuCli.TIGHT_DEADLINE_US, List.of("ecu-a"))));

        Result r = cli.run(state, "1s");
        assertTrue(r.out().contains("runaway: stopped; cannot roll back"), r.out());
        Result log = cli.log(state);
        assertTrue(log.out().contains("FAULT_WINDOW_TRIPPED SUCCESS module=runaway cause=DEADLINE_MISS"), log.out());
        assertTrue(log.out().contains("3 deadline misses"), log.out());
    }

    @Test
    void trapStormTrapsOnEveryFifthTick() {
        Path state = besideHealthy("storm", "trap_storm.wasm", EcuCli.ROOMY_DEADLINE_US);

        Row storm = cli.run(EcuCli.faultsNeverCluster(), state, "2s").row("storm");
        assertTrue(storm.traps() >= 5, storm::toString);
        assertTrue(storm.traps() <= storm.calls() / 5 + 1, () -> "one tick in five traps: " + storm);
        assertEquals(0, storm.misses() + storm.other(), storm::toString);
    }

    @Test
    void trapStormOverV1IsRolledBackByTheHost() {
        Path state = state("storm-upgrade");
        cli.installed(state, v1);
        Result up = cli.installed(state, cli.released("trap_storm.wasm", spec("healthy", "1.1.0", NONE)));
        assertTrue(up.out().contains("installed healthy 1.1.0 -> slot B (was 1.0.0)"), up.out());

        Result r = cli.run(state, "1s");
        assertTrue(r.out().contains("healthy: rolled back 1.1.0 -> 1.0.0 by itself"), r.out());
        assertEquals("1.0.0", r.row("healthy").version(), r.out());
        assertTrue(cli.log(state).out().contains("ROLLBACK SUCCESS module=healthy version=1.1.0->1.0.0"));
        assertTrue(cli.installed(state, v1).out().contains("healthy 1.0.0 is already active"), "v1 stays active");
        assertEquals(0, cli.log(state, "--verify").code());
    }

    @Test
    void memoryBombRunsCleanUnderItsCap() {
        Path state = state("bomb");
        cli.installed(state, cli.released("memory_bomb.wasm",
                spec("bomb", "1.0.0", NONE, 4, EcuCli.ROOMY_DEADLINE_US, List.of("ecu-a"))));

        assertClean(cli.run(EcuCli.faultsNeverCluster(), state, "1s").row("bomb"));
    }

    @Test
    void outOfBoundsLoadTrapsOnEveryTick() {
        Path state = besideHealthy("oob", "oob_load.wasm", EcuCli.ROOMY_DEADLINE_US);

        Result r = cli.run(EcuCli.faultsNeverCluster(), state, "1s");
        Row oob = r.row("oob");
        assertTrue(oob.traps() >= 10, oob::toString);
        assertEquals(oob.calls(), oob.traps(), oob::toString);
        assertClean(r.row("healthy"));
    }

    @Test
    void unboundedRecursionIsAFaultOnEveryTick() {
        Path state = besideHealthy("recursion", "recursion.wasm", EcuCli.ROOMY_DEADLINE_US);

        Result r = cli.run(EcuCli.faultsNeverCluster(), state, "1s");
        Row rec = r.row("recursion");
        assertTrue(rec.traps() + rec.other() >= 3, () -> "stack overflows: " + rec);
        assertEquals(rec.calls(), rec.traps() + rec.other() + rec.misses(), () -> "every tick faults: " + rec);
        assertClean(r.row("healthy"));
    }

    @Test
    void failingHealthCheckIsNotCommitted() {
        Path state = state("failing-init");
        cli.installed(state, v1);

        Result r = assertRefused(5, cli.install(state, cli.released("failing_init.wasm", spec("healthy", "1.1.0", NONE))));
        assertTrue(r.err().startsWith("rejected (HEALTH_CHECK_FAILED)"), r.err());
        assertFalse(r.out().contains("installed"), r.out());
        assertTrue(cli.installed(state, v1).out().contains("healthy 1.0.0 is already active (slot A)"));
        assertTrue(cli.log(state).out().contains("HEALTH_CHECK FAILURE module=healthy version=1.0.0->1.1.0"));
    }

    @Test
    void runTableKeepsTheFaultsOfAModuleTheHostStopped() {
        Path state = state("stopped-row");
        cli.installed(state, cli.released("runaway.wasm",
                spec("runaway", "1.0.0", NONE, 1, EcuCli.TIGHT_DEADLINE_US, List.of("ecu-a"))));

        Row runaway = cli.run(state, "1s").row("runaway");
        assertTrue(runaway.misses() >= 3, runaway::toString);
    }

    @Test
    void runTableCountsTheHostsOwnRollbacks() {
        Path state = state("rollback-column");
        cli.installed(state, v1);
        cli.installed(state, cli.released("trap_storm.wasm", spec("healthy", "1.1.0", NONE)));

        Result r = cli.run(state, "1s");
        assertTrue(r.out().contains("rolled back"), r.out());
        assertEquals(1, r.row("healthy").rollbacks(), r.out());
    }
}

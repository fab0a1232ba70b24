package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.EcuCli.Result;
import dev.wasmota.cli.EcuCli.Row;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What modules write with {@code ecu.log} is shown by {@code ota ecu install|run} as
 * {@code [module] line}, at no extra setting; what the host dropped (over the rate limit) and the
 * ticks it skipped are counted in the run table.
 */
class EcuModuleLogTest {
    @TempDir
    static Path dir;
    static EcuCli cli;

    @BeforeAll
    static void fixtures() {
        cli = new EcuCli(dir);
    }

    @Test
    void installShowsTheLineTheHealthCheckLogged() {
        Result r = cli.installed(dir.resolve("state-install"), cli.healthy(1));
        assertTrue(r.out().contains("[healthy] healthy v1 init\n"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void runShowsModuleLinesAndCountsTheDroppedOnes() {
        Path state = dir.resolve("state-chatty");
        cli.installed(state, cli.released("log_every_tick.wasm", EcuCli.spec("chatty", "1.0.0", CapabilitySet.parse("log"))));

        Result r = cli.run(state, "1500ms");
        long shown = r.out().lines().filter(l -> l.equals("[chatty] tick")).count();
        Row row = r.row("chatty");
        assertTrue(shown >= 20, "about 20 lines a second are kept: " + shown + " in\n" + r.out());
        assertTrue(row.logDropped() >= row.calls() / 2, "about 4 in 5 lines are over the rate: " + row);
        assertEquals(row.calls(), shown + row.logDropped(), () -> "every tick's line is shown or counted: " + row);
        int table = r.out().indexOf("module               version");
        assertTrue(r.out().lastIndexOf("[chatty] tick") < table, "the lines come before the table: " + r.out());
        assertTrue(r.out().substring(table).lines().findFirst().orElseThrow().contains("skipped log_drop"), r.out());
    }
}

package dev.wasmota.cli;

import static dev.wasmota.cli.EcuCli.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.EcuCli.Result;
import dev.wasmota.cli.EcuCli.Row;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A healthy module's life on the ECU through {@code ota ecu install|verify|run|rollback|log}:
 * install into slot A, upgrade into slot B, run, roll back by hand, and an audit log whose hash
 * chain catches an edited record.
 */
class EcuLifecycleTest {
    @TempDir
    static Path dir;
    static EcuCli cli;
    static Path v1;
    static Path v2;

    @BeforeAll
    static void release() {
        cli = new EcuCli(dir);
        v1 = cli.healthy(1);
        v2 = cli.healthy(2);
    }

    private static Path state(String name) {
        return dir.resolve("state-" + name);
    }

    @Test
    void installsV1IntoSlotAAndProvisionsTheHardwareId() throws Exception {
        Path state = state("v1");
        Result r = cli.installed(state, v1);
        assertTrue(r.out().contains("installed healthy 1.0.0 -> slot A"), r.out());
        assertTrue(Files.readString(state.resolve("ecu.json"), StandardCharsets.UTF_8).contains("\"ecu-a\""),
                "hardware id provisioned");

        Result later = cli.ok("ecu", "install", "--state", state.toString(), "--package", v2.toString());
        assertTrue(later.out().contains("installed healthy 2.0.0 -> slot B"), "provisioned id and trust reused: " + later);
        Result otherHardware = cli.ota("ecu", "install", "--state", state.toString(), "--hardware-id", "ecu-b",
                "--package", v1.toString());
        assertRefused(4, otherHardware);
        assertTrue(otherHardware.err().contains("ecu-a"), otherHardware.err());
    }

    @Test
    void verifiesTheReleasedPackageAndChangesNothing() {
        Result r = cli.ok("ecu", "verify", "--trust", cli.trust.toString(), "--package", v1.toString());
        assertTrue(r.out().startsWith("verified healthy 1.0.0 (security version 1) from supplier acme"), r.out());
        assertTrue(r.out().contains("countersigned by"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void upgradesIntoSlotBAndRollsBackToV1OnceOnly() {
        Path state = state("rollback");
        cli.installed(state, v1);
        Result up = cli.installed(state, v2);
        assertTrue(up.out().contains("installed healthy 2.0.0 -> slot B (was 1.0.0)"), up.out());

        Result back = cli.rollback(state, "healthy");
        assertEquals(0, back.code(), back::toString);
        assertTrue(back.out().contains("healthy: slot A active, version 1.0.0"), back.out());
        assertTrue(cli.install(state, v1).out().contains("healthy 1.0.0 is already active (slot A)"),
                "v1 is active again");

        Result again = assertRefused(4, cli.rollback(state, "healthy"));
        assertTrue(again.err().contains("no previous slot"), again.err());
    }

    @Test
    void runPrintsARowPerModuleWithCallsAndNoFaults() {
        Path state = state("run");
        cli.installed(state, v2);
        cli.installed(state, cli.released("empty.wasm", EcuCli.spec("idle", "0.1.0", EcuCli.NONE)));

        Result r = cli.run(state, "1s");
        assertTrue(r.out().contains("running 2 module(s)"), r.out());
        for (String module : List.of("healthy", "idle")) {
            Row row = r.row(module);
            assertTrue(row.calls() > 10, row::toString);
            assertEquals(0, row.misses(), row::toString);
            assertEquals(0, row.traps(), row::toString);
            assertEquals(0, row.other(), row::toString);
            assertEquals(0, row.rollbacks(), row::toString);
        }
        assertEquals("2.0.0", r.row("healthy").version());
        assertEquals("0.1.0", r.row("idle").version());
    }

    @Test
    void logPrintsTheRecordsAndItsChainVerifies() {
        Path state = state("log");
        cli.installed(state, v1);
        cli.installed(state, v2);
        assertEquals(0, cli.rollback(state, "healthy").code());

        Result log = cli.log(state);
        assertEquals(0, log.code(), log::toString);
        List<String> lines = log.out().lines().toList();
        assertTrue(lines.stream().allMatch(l -> l.matches("#\\d+ 2026-06-01T08:00:00Z [A-Z_]+ .*")), log.out());
        assertTrue(lines.stream().anyMatch(l -> l.contains("INSTALL_COMMITTED SUCCESS module=healthy version=1.0.0 ")),
                log.out());
        assertTrue(lines.stream().anyMatch(l -> l.contains("INSTALL_COMMITTED SUCCESS module=healthy version=1.0.0->2.0.0")),
                log.out());
        assertTrue(lines.stream().anyMatch(l -> l.contains("ROLLBACK SUCCESS module=healthy version=2.0.0->1.0.0")),
                log.out());

        Result verify = cli.log(state, "--verify");
        assertEquals(0, verify.code(), verify::toString);
        assertTrue(verify.out().startsWith("audit log intact"), verify.out());
    }

    @Test
    void logVerifyCatchesOneEditedByteInAMiddleRecord() throws Exception {
        Path state = state("tamper");
        cli.installed(state, v1);
        cli.installed(state, v2);
        assertEquals(0, cli.log(state, "--verify").code());

        Path file = state.resolve("audit.log");
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        int middle = lines.size() / 2;
        int target = -1;
        for (int i = middle; i < lines.size() - 1 && target < 0; i++) {
            if (lines.get(i).contains("\"2.0.0\"")) {
                target = i;
            }
        }
        assertTrue(target > 0 && target < lines.size() - 1, "a middle record naming 2.0.0: " + lines);
        String edited = lines.get(target).replaceFirst("\"2\\.0\\.0\"", "\"2.0.1\"");
        assertNotEquals(lines.get(target), edited);
        lines.set(target, edited);
        Files.write(file, lines, StandardCharsets.UTF_8);

        Result r = assertRefused(3, cli.log(state, "--verify"));
        assertTrue(r.err().startsWith("rejected (AUDIT_CHAIN_BROKEN)"), r.err());
    }
}

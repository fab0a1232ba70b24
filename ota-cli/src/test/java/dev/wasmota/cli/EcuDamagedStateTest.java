package dev.wasmota.cli;

import static dev.wasmota.cli.EcuCli.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.EcuCli.Result;
import dev.wasmota.cli.EcuCli.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage and environment errors through {@code ota ecu run|install}: one module's damaged state
 * quarantines that module only (named, audited, the others run); a state or trust directory that
 * is missing or unreadable is named with CONTRACT's code for it. (A read-only state directory:
 * {@link ReadOnlyStateIT}.)
 */
class EcuDamagedStateTest {
    @TempDir
    static Path dir;
    static EcuCli cli;
    static Path healthy;
    static Path idle;

    @BeforeAll
    static void release() {
        cli = new EcuCli(dir);
        healthy = cli.healthy(1);
        idle = cli.released("empty.wasm", EcuCli.spec("idle", "1.0.0", EcuCli.NONE));
    }

    /** A state with healthy and idle installed. */
    private static Path twoModules(String name) {
        Path state = dir.resolve("state-" + name);
        cli.installed(state, healthy);
        cli.installed(state, idle);
        return state;
    }

    private static Path moduleFile(Path state, String module, String file) {
        return state.resolve("slots/modules").resolve(module).resolve(file);
    }

    private static void assertHealthyQuarantinedAndIdleRan(Path state, String cause) {
        Result r = cli.run(state, "1s");
        assertTrue(r.out().contains("quarantined: healthy: " + cause), r.out());
        assertTrue(r.out().contains("running 1 module(s)"), r.out());
        Row ran = r.row("idle");
        assertTrue(ran.calls() > 10, ran::toString);
        Row quarantined = r.row("healthy");
        assertEquals("quarantined", quarantined.status(), r.out());
        assertEquals(0, quarantined.calls());
        String log = cli.log(state).out();
        assertTrue(log.contains("QUARANTINED SUCCESS module=healthy cause=" + cause), log);
        assertEquals(0, cli.log(state, "--verify").code());
    }

    @Test
    void garbageStateOfOneModuleQuarantinesItAndTheOthersRun() throws Exception {
        Path state = twoModules("garbage-state");
        Files.writeString(moduleFile(state, "healthy", "state.json"), "garbage");
        assertHealthyQuarantinedAndIdleRan(state, "STATE_UNREADABLE");
    }

    @Test
    void emptyFloorOfOneModuleQuarantinesItAndTheOthersRun() throws Exception {
        Path state = twoModules("empty-floor");
        Files.write(moduleFile(state, "healthy", "floor.json"), new byte[0]);
        assertHealthyQuarantinedAndIdleRan(state, "FLOOR_UNREADABLE");
    }

    @Test
    void whenEveryModuleIsQuarantinedRunSaysSoWithExit3() throws Exception {
        Path state = dir.resolve("state-all-damaged");
        cli.installed(state, healthy);
        Files.writeString(moduleFile(state, "healthy", "state.json"), "{}");

        Result r = assertRefused(3, cli.ota("ecu", "run", "--state", state.toString(), "--duration", "300ms"));
        assertTrue(r.err().startsWith("rejected (MODULE_QUARANTINED): every installed module is quarantined"), r.err());
    }

    @Test
    void aStrayFileAmongTheModulesStopsNothing() throws Exception {
        Path state = twoModules("stray");
        Files.writeString(state.resolve("slots/modules/notes.TXT"), "left here by hand");

        Result r = cli.run(state, "1s");
        assertTrue(r.row("healthy").calls() > 10 && r.row("idle").calls() > 10, r.out());
    }

    @Test
    void provisionedTrustAnchorsMissingOrUnreadableAreATrustFailure() throws Exception {
        Path state = twoModules("trust-lost");
        Path root = state.resolve("trust/root-ca.cert.pem");
        byte[] anchors = Files.readAllBytes(root);

        Files.writeString(root, "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");
        Result unreadable = assertRefused(3, cli.ota("ecu", "run", "--state", state.toString(), "--duration", "300ms"));
        assertTrue(unreadable.err().startsWith("rejected (TRUST_ANCHORS_MISSING)"), unreadable.err());
        assertTrue(unreadable.err().contains("unreadable"), unreadable.err());

        Files.delete(root);
        Result missing = assertRefused(3, cli.ota("ecu", "run", "--state", state.toString(), "--duration", "300ms"));
        assertTrue(missing.err().startsWith("rejected (TRUST_ANCHORS_MISSING)"), missing.err());
        assertTrue(missing.err().contains(root.toString()) && missing.err().contains("missing"), missing.err());

        Files.write(root, anchors);
        assertTrue(cli.run(state, "300ms").row("idle").calls() > 0, "provisioned again, it runs");
    }

    @Test
    void aStateDirectoryThatDoesNotExistIsAUsageErrorNamingIt() {
        Path nowhere = dir.resolve("no-such-state");
        Result r = cli.ota("ecu", "run", "--state", nowhere.toString(), "--duration", "1s");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("usage error: no such file: " + nowhere + " (no ECU state here"), r.err());
        assertTrue(!Files.exists(nowhere), "nothing created");
    }

    @Test
    void aTrustDirectoryThatDoesNotExistIsAUsageErrorNamingTheOption() {
        Path nowhere = dir.resolve("no-such-trust");
        Result r = cli.ota("ecu", "install", "--state", dir.resolve("state-fresh").toString(), "--trust", nowhere.toString(),
                "--hardware-id", "ecu-a", "--package", healthy.toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("usage error: no such file: " + nowhere + " (--trust: no such trust directory)"),
                r.err());
    }
}

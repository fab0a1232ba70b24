package dev.wasmota.cli;

import static dev.wasmota.cli.EcuCli.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.EcuCli.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The confirmation step through {@code ota ecu run|status|confirm|install|rollback}: after v2 ran
 * its probation healthily, v1 no longer reinstalls (a security event); until then it does, logged
 * as the service operation it is; an ECU whose policy forbids service operations refuses them.
 */
class EcuConfirmationTest {
    @TempDir
    static Path dir;
    static EcuCli cli;
    static Path v1;
    static Path v2;

    @BeforeAll
    static void release() {
        cli = new EcuCli(dir);
        v1 = cli.healthyAtSecurityVersion(1);
        v2 = cli.healthyAtSecurityVersion(2);
    }

    /** A state with v1 then v2 installed by hand: v2 on probation, v1 its rollback target. */
    private static Path v2OnProbation(String name) {
        Path state = dir.resolve("state-" + name);
        cli.installed(state, v1);
        cli.installed(state, v2);
        return state;
    }

    @Test
    void afterV2RanItsProbationV1IsRefusedAsASecurityEvent() {
        Path state = v2OnProbation("probation-passed");

        Result run = cli.run(EcuCli.fast(1_000), state, "2s");

        Result r = assertRefused(4, cli.install(state, v1));
        assertTrue(r.err().startsWith("rejected (ANTI_ROLLBACK)"), r.err());
        assertTrue(r.err().contains("below the floor 2"), r.err());
        assertEquals("confirmed", run.row("healthy").status(), run.out());
        assertTrue(cli.status(state).out().contains("2 confirmed"), "floor 2: " + cli.status(state).out());
        Result back = assertRefused(4, cli.rollback(state, "healthy"));
        assertTrue(back.err().startsWith("rejected (BELOW_FLOOR)"), back.err());
        String log = cli.log(state).out();
        assertTrue(log.contains("CONFIRMED SUCCESS module=healthy version=2.0.0"), log);
        assertTrue(log.contains("cause=PROBATION_PASSED"), log);
        assertTrue(log.contains("FLOOR_RAISED SUCCESS module=healthy sv=2"), log);
        assertTrue(log.contains("SECURITY_EVENT REFUSED module=healthy version=1.0.0"), log);
        assertTrue(log.contains("SECURITY_EVENT REFUSED module=healthy cause=BELOW_FLOOR"), log);
        assertEquals(0, cli.log(state, "--verify").code());
    }

    @Test
    void onProbationTheTargetStaysInstallableAndTheReinstallIsLoggedAsAServiceOperation() {
        Path state = v2OnProbation("on-probation");

        Result run = cli.run(state, "1s");
        assertEquals("probation:0s/300s", run.row("healthy").status(), "the fixtures' clock stands still: " + run.out());
        assertTrue(cli.status(state).out().contains("healthy              2.0.0      B       2 1.0.0(sv1)           1"
                + " probation:0s/300s"), cli.status(state).out());

        Result back = cli.installed(state, v1);
        assertTrue(back.out().contains("installed healthy 1.0.0 -> slot A (was 2.0.0)"), back.out());
        String commit = cli.log(state).out().lines().filter(l -> l.contains("INSTALL_COMMITTED SUCCESS module=healthy"
                + " version=2.0.0->1.0.0")).findFirst().orElseThrow();
        assertTrue(commit.contains("pre={authorization=service-operation}"), commit);
        assertTrue(commit.contains("a service operation (no campaign instruction)"), commit);
    }

    @Test
    void confirmByHandRaisesTheFloorAtOnce() {
        Path state = v2OnProbation("confirm");

        Result c = cli.ok("ecu", "confirm", "--state", state.toString(), "--module", "healthy");
        assertTrue(c.out().contains("healthy 2.0.0 confirmed: floor 1 -> 2"), c.out());
        Result again = cli.confirm(state, "healthy");
        assertEquals(0, again.code(), again::toString);
        assertTrue(again.out().contains("already confirmed (floor 2); nothing changed"), again.out());

        assertTrue(assertRefused(4, cli.install(state, v1)).err().startsWith("rejected (ANTI_ROLLBACK)"));
        assertTrue(cli.log(state).out().contains("CONFIRMED SUCCESS module=healthy version=2.0.0 wasm="), "logged");
        Result absent = assertRefused(4, cli.confirm(state, "absent"));
        assertTrue(absent.err().startsWith("rejected (NOT_INSTALLED)"), absent.err());
    }

    @Test
    void anEcuWhosePolicyForbidsServiceOperationsRefusesThem() throws Exception {
        Path state = v2OnProbation("locked");
        Files.writeString(state.resolve("policy.json"), "{\"serviceOperations\":\"forbidden\"}");

        Result install = assertRefused(4, cli.install(state, v1));
        assertTrue(install.err().startsWith("rejected (SERVICE_OPERATION_FORBIDDEN): installing healthy 1.0.0 without a"
                + " campaign instruction"), install.err());
        assertTrue(assertRefused(4, cli.rollback(state, "healthy")).err()
                .startsWith("rejected (SERVICE_OPERATION_FORBIDDEN)"));
        assertTrue(assertRefused(4, cli.confirm(state, "healthy")).err()
                .startsWith("rejected (SERVICE_OPERATION_FORBIDDEN)"));

        String log = cli.log(state).out();
        assertEquals(3, log.lines().filter(l -> l.contains("SECURITY_EVENT REFUSED")
                && l.contains("cause=SERVICE_OPERATION_FORBIDDEN")).count(), log);
        assertTrue(cli.status(state).out().contains("2.0.0"), "v2 stays active");
    }
}

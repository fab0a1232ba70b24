package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.EcuCli.Result;
import dev.wasmota.contract.Digests;
import dev.wasmota.ecu.RxswinState;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ota ecu status} prints the vehicle's RXSWIN (issue 17), and only reads its state to do so. */
class EcuRxswinStatusTest {
    @TempDir
    Path dir;
    EcuCli cli;
    Path state;

    @BeforeEach
    void setUp() {
        cli = new EcuCli(dir);
        state = dir.resolve("state");
    }

    @Test
    void printsNoneBeforeAnyUpdateSetOneThenTheOneItsCommittedPackageBrought() throws Exception {
        Path pkg = cli.healthy(1);
        cli.installed(state, pkg);
        Result before = cli.ok("ecu", "status", "--state", state.toString());
        assertTrue(before.out().lines().anyMatch("rxswin none"::equals), before.out());

        RxswinState.in(state).expect("R156-ECU-A:1.0", "healthy", Digests.sha256Hex(Files.readAllBytes(pkg)));
        String file = Files.readString(state.resolve(RxswinState.FILE));
        Result after = cli.ok("ecu", "status", "--state", state.toString());

        assertTrue(after.out().lines().anyMatch("rxswin R156-ECU-A:1.0"::equals), after.out());
        assertTrue(after.out().contains("healthy"), after.out());
        assertTrue(file.equals(Files.readString(state.resolve(RxswinState.FILE))), "status wrote nothing");
    }

    @Test
    void anRxswinWhosePackageIsNotActiveIsNotPrinted() throws Exception {
        cli.installed(state, cli.healthy(1));
        RxswinState.in(state).expect("R156-ECU-A:2.0", "healthy", "0".repeat(64));

        Result r = cli.ok("ecu", "status", "--state", state.toString());

        assertTrue(r.out().lines().anyMatch("rxswin none"::equals), r.out());
    }
}

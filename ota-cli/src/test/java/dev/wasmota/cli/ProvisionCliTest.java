package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.EcuCli.Result;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.ecu.ProvisionedState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ota oem vehicle provision} and the {@code ota ecu} commands on the state it writes. */
class ProvisionCliTest {
    @TempDir
    Path dir;
    EcuCli cli;
    Path oem;

    @BeforeEach
    void setUp() {
        cli = new EcuCli(dir);
        oem = dir.resolve("oem");
    }

    private Result provision(String id, String hardware, Path out) {
        return cli.ota("oem", "vehicle", "provision", "--oem", oem.toString(), "--id", id, "--hardware", hardware, "--out",
                out.toString());
    }

    @Test
    void aProvisionedVehicleIsRegisteredAndInstallsWithNoTrustOrIdentityOptions() throws Exception {
        Path state = dir.resolve("veh-1");
        Result p = provision("veh-1", "ecu-a", state);
        assertEquals(0, p.code(), p::toString);
        assertTrue(p.out().startsWith("provisioned vehicle veh-1 (hardware ecu-a), registered"), p.out());
        assertEquals(Optional.of(new HostIdentity("ecu-a", "veh-1")), HostIdentity.load(state));
        assertTrue(Files.isRegularFile(ProvisionedState.credentialDir(state).resolve("key.pem")));
        assertTrue(cli.ok("oem", "vehicle", "list", "--oem", oem.toString()).out().contains("veh-1"));

        Result empty = cli.ok("ecu", "status", "--state", state.toString());
        // the table's header and the vehicle's RXSWIN (none yet), no module rows
        assertEquals(List.of("rxswin none"), empty.out().lines().skip(1).toList(), () -> "no modules: " + empty.out());
        cli.ok("ecu", "install", "--state", state.toString(), "--package", cli.healthy(1).toString());
        assertTrue(cli.ok("ecu", "status", "--state", state.toString()).out().contains("healthy"));
    }

    @Test
    void refusesAVehicleRegisteredWithOtherHardwareAndWritesNothing() {
        cli.ok("oem", "vehicle", "register", "--oem", oem.toString(), "--id", "veh-1", "--hardware", "ecu-b");
        Result r = EcuCli.assertRefused(4, provision("veh-1", "ecu-a", dir.resolve("veh-1")));
        assertTrue(r.err().startsWith("rejected (VEHICLE_CONFLICT): "), r.err());
        assertFalse(Files.exists(dir.resolve("veh-1")));
    }

    @Test
    void refusesADirectoryThatHoldsAnything() throws Exception {
        Files.createDirectories(dir.resolve("veh-1"));
        Files.writeString(dir.resolve("veh-1").resolve("keep.txt"), "mine");
        Result r = provision("veh-1", "ecu-a", dir.resolve("veh-1"));
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("usage error: refusing to overwrite"), r.err());
        assertFalse(cli.ok("oem", "vehicle", "list", "--oem", oem.toString()).out().contains("veh-1"));
    }

    @Test
    void onlyInstallTakesAnIdentityToProvision() {
        Result r = cli.ota("ecu", "run", "--state", dir.resolve("fresh").toString(), "--duration", "1s", "--vehicle-id", "v1");
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("usage error: Unknown options: '--vehicle-id'"), r.err());
        Result fresh = cli.ota("ecu", "run", "--state", dir.resolve("fresh").toString(), "--duration", "1s");
        assertEquals(2, fresh.code(), fresh::toString);
        assertTrue(fresh.err().contains("ota oem vehicle provision"), fresh.err());
    }
}

package dev.wasmota.cli.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.rxswin.ReportedConfiguration;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ota oem rxswin} (issue 17): the register, a release's RXSWIN change, and a campaign's
 * start leaving out, by name and reason, a vehicle whose last configuration does not fit.
 */
class RxswinCliTest {
    @TempDir
    Path dir;

    Fixtures fx;
    CampaignCli cli;
    MutableClock clock = new MutableClock(Fixtures.T0);
    String oem;
    Path pkg;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixtures(dir);
        oem = dir.resolve("oem").toString();
        cli = new CampaignCli(new CliEnv(clock, Fixtures.seeded(7)));
        pkg = dir.resolve("healthy-2.0.0.wotapkg");
        PackageFile.write(pkg, CampaignKit.healthy(fx, "2.0.0", 2, "healthy_v2.wasm"));
        ok("vehicle", "register", "--oem", oem, "--id", "veh-1", "--hardware", "ecu-a");
        ok("vehicle", "register", "--oem", oem, "--id", "veh-2", "--hardware", "ecu-a");
    }

    private CampaignCli.Result ok(String... args) {
        CampaignCli.Result r = cli.run(args);
        assertEquals(0, r.code(), r.out() + r.err());
        return r;
    }

    private CampaignCli.Result refused(int code, String... args) {
        CampaignCli.Result r = cli.run(args);
        assertEquals(code, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        return r;
    }

    private void reports(String vehicle, String rxswin) {
        try (CampaignWorkspace ws = CampaignWorkspace.open(Path.of(oem), Optional.empty(), clock, new Random(1), "test")) {
            TreeMap<String, ReportedConfiguration.Module> m = new TreeMap<>();
            m.put("healthy", new ReportedConfiguration.Module("1.0.0", "a".repeat(64)));
            ws.campaigns().rxswin().take(new ReportedConfiguration(vehicle, Optional.of(rxswin), m, "i-0", clock.instant()));
        }
    }

    @Test
    void startLeavesOutTheVehicleOnAnotherRxswinAndTheInstructionCarriesTheNewOne() throws Exception {
        assertTrue(ok("rxswin", "define", "--oem", oem, "--hardware", "ecu-a", "--rxswin", "R-A1", "--module",
                "healthy@1.0.0").out().startsWith("RXSWIN R-A1 of hardware ecu-a: healthy@1.0.0"));
        ok("rxswin", "define", "--oem", oem, "--hardware", "ecu-a", "--rxswin", "R-A2", "--module", "healthy@2.0.0",
                "--description", "brake filter v2, approval E1-123");
        assertTrue(ok("rxswin", "list", "--oem", oem).out().contains("R-A2                     healthy@2.0.0  (brake filter"));
        ok("campaign", "create", "--oem", oem, "--package", pkg.toString(), "--vehicles", "veh-1,veh-2", "--waves", "100%",
                "--id", "c1");
        CampaignCli.Result stated = ok("rxswin", "release", "--oem", oem, "--release", "healthy@2.0.0", "--from", "R-A1",
                "--to", "R-A2", "--reason", "changes the brake temperature filter", "--requires", "healthy>=1.0.0");
        assertTrue(stated.out().startsWith("release healthy@2.0.0 changes RXSWIN R-A1 -> R-A2 (changes the brake"
                + " temperature filter); requires healthy>=1.0.0"), stated.out());
        reports("veh-1", "R-A1");
        reports("veh-2", "R-A0");

        CampaignCli.Result started = ok("campaign", "start", "--oem", oem, "--campaign", "c1");

        assertTrue(started.out().contains("RUNNING"), started.out());
        assertTrue(started.out().contains("excluded  veh-2: RXSWIN mismatch: the vehicle reports R-A0; the release changes"
                + " R-A1 -> R-A2"), started.out());
        assertTrue(ok("campaign", "status", "--oem", oem, "--campaign", "c1").out().contains("excluded  veh-2: RXSWIN"));
        List<Path> instructions;
        try (Stream<Path> s = Files.walk(dir.resolve("oem/outbox"))) {
            instructions = s.filter(p -> p.toString().endsWith(".wotains")).toList();
        }
        assertEquals(1, instructions.size(), "veh-1 only");
        assertTrue(instructions.get(0).toString().contains("veh-1"));
        assertTrue(new String(Files.readAllBytes(instructions.get(0)), StandardCharsets.ISO_8859_1)
                .contains("\"rxswin\":\"R-A2\""), "the signed instruction names the RXSWIN the vehicle runs after it");
        assertTrue(ok("rxswin", "vehicle", "--oem", oem, "--vehicle", "veh-2").out().startsWith("vehicle veh-2 rxswin R-A0"));
    }

    @Test
    void refusesAStatementWithoutItsReasonOrAgainstTheRegisterInOneLine() {
        ok("campaign", "create", "--oem", oem, "--package", pkg.toString(), "--vehicles", "veh-1", "--waves", "100%",
                "--id", "c1");
        refused(2, "rxswin", "release", "--oem", oem, "--release", "healthy@2.0.0", "--none");
        refused(2, "rxswin", "release", "--oem", oem, "--release", "healthy@2.0.0", "--none", "--from", "R-A1",
                "--reason", "x");
        CampaignCli.Result unknown = refused(4, "rxswin", "release", "--oem", oem, "--release", "healthy@2.0.0", "--from",
                "R-A1", "--to", "R-A2", "--reason", "x");
        assertTrue(unknown.err().contains("UNKNOWN_RXSWIN"), unknown.err());
        ok("rxswin", "define", "--oem", oem, "--hardware", "ecu-a", "--rxswin", "R-A1", "--module", "healthy@1.0.0");
        CampaignCli.Result conflict = refused(4, "rxswin", "define", "--oem", oem, "--hardware", "ecu-a", "--rxswin",
                "R-A1", "--module", "healthy@1.0.1");
        assertTrue(conflict.err().contains("RXSWIN_CONFLICT"), conflict.err());
        refused(4, "rxswin", "release", "--oem", oem, "--release", "healthy@2.0.0", "--none", "--reason", "x",
                "--requires", "healthy=1");
        ok("rxswin", "release", "--oem", oem, "--release", "healthy@2.0.0", "--none", "--reason", "calibration only");
        assertTrue(ok("rxswin", "release", "--oem", oem, "--release", "healthy@2.0.0").out()
                .startsWith("release healthy@2.0.0 changes RXSWIN none (calibration only)"));
    }
}

package dev.wasmota.cli.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ota oem evidence export} and {@code ota oem evidence verify DIR}. */
class EvidenceCliTest {
    @TempDir
    Path dir;

    @Test
    void exportsACampaignsBundleThatVerifiesUntilAByteChanges() throws Exception {
        Fixtures fx = new Fixtures(dir);
        String oem = dir.resolve("oem").toString();
        CampaignCli cli = new CampaignCli(new CliEnv(new MutableClock(Fixtures.T0), Fixtures.seeded(7)));
        Path pkg = dir.resolve("healthy-2.0.0.wotapkg");
        PackageFile.write(pkg, CampaignKit.healthy(fx, "2.0.0", 2, "healthy_v2.wasm"));
        Files.writeString(dir.resolve("healthy-2.0.0.wotapkg.report.json"), "{\"accepted\":true}");
        Path record = dir.resolve("record.json");
        try (var in = getClass().getResourceAsStream("/complete-record.json")) {
            Files.write(record, in.readAllBytes());
        }
        assertEquals(0, cli.run("vehicle", "register", "--oem", oem, "--id", "veh-1", "--hardware", "ecu-a").code());
        assertEquals(0, cli.run("campaign", "create", "--oem", oem, "--package", pkg.toString(), "--vehicles", "veh-1",
                "--waves", "100%", "--id", "c1", "--record", record.toString()).code());
        assertEquals(0, cli.run("campaign", "start", "--oem", oem, "--campaign", "c1").code());
        Path bundle = dir.resolve("evidence");

        CampaignCli.Result exported = cli.run("evidence", "export", "--oem", oem, "--campaign", "c1", "--out", bundle.toString());
        assertEquals(0, exported.code(), exported.err());
        CampaignCli.Result verified = cli.run("evidence", "verify", bundle.toString(), "--trust",
                dir.resolve("oem/vehicle-trust").toString());
        assertEquals(0, verified.code(), verified.out() + verified.err());
        assertTrue(verified.out().startsWith("evidence of campaign c1 verifies: 10 files"), verified.out());

        Path vehicles = bundle.resolve("vehicles.json");
        byte[] b = Files.readAllBytes(vehicles);
        b[b.length / 2] ^= 1;
        Files.write(vehicles, b);
        CampaignCli.Result refused = cli.run("evidence", "verify", bundle.toString());
        assertEquals(3, refused.code(), refused.out() + refused.err());
        assertEquals(1, refused.err().lines().count(), refused.err());
        assertTrue(refused.err().contains("INCONSISTENT_EVIDENCE") && refused.out().contains(
                "inconsistent: vehicles.json differs from the manifest"), refused.out() + refused.err());
    }

    @Test
    void refusesToExportIntoADirectoryThatHoldsFiles() throws Exception {
        Path out = dir.resolve("busy");
        Files.createDirectories(out);
        Files.writeString(out.resolve("x"), "x");
        new Fixtures(dir);
        CampaignCli cli = new CampaignCli(new CliEnv(new MutableClock(Fixtures.T0), Fixtures.seeded(7)));

        CampaignCli.Result r = cli.run("evidence", "export", "--oem", dir.resolve("oem").toString(), "--campaign", "nope",
                "--out", out.toString());

        assertEquals(4, r.code(), r.err());
        assertTrue(r.err().contains("no campaign nope"), r.err());
    }
}

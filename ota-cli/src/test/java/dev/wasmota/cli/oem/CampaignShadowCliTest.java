package dev.wasmota.cli.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.ShadowDelivery;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ota oem campaign create --shadow-* --health-*}: the options reach the signed instructions and the gate. */
class CampaignShadowCliTest {
    @TempDir
    Path dir;

    Fixtures fx;
    MutableClock clock = new MutableClock(Fixtures.T0);
    CampaignCli cli;
    String oem;
    Path v2;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixtures(dir);
        oem = dir.resolve("oem").toString();
        cli = new CampaignCli(new CliEnv(clock, Fixtures.seeded(7)));
        v2 = dir.resolve("healthy-2.0.0.wotapkg");
        PackageFile.write(v2, CampaignKit.healthy(fx, "2.0.0", 2, "healthy_v2.wasm"));
        assertEquals(0, cli.run("vehicle", "register", "--oem", oem, "--id", "veh-1", "--hardware", "ecu-a").code());
    }

    @Test
    void aShadowCampaignsInstructionsCarryTheShadowAndTheGateIsStored() throws Exception {
        CampaignCli.Result created = cli.run("campaign", "create", "--oem", oem, "--package", v2.toString(), "--vehicles",
                "veh-1", "--waves", "1", "--id", "c-sh", "--shadow-ticks", "600", "--shadow-max-disagreement", "1.5",
                "--shadow-max-faults", "2", "--shadow-tolerance", "0x220:2", "--shadow-tolerance", "0x221:0:5%",
                "--health-p99-margin", "150", "--health-baseline-us", "80");
        assertEquals(0, created.code(), created.err());
        assertTrue(created.out().contains("delivered as a shadow: 600 compared ticks, at most 1.5% disagreeing, at most 2"
                + " faults, 2 signal tolerance(s)"), created.out());
        assertTrue(created.out().contains("waves gated on runtime health: p99 <= 150 % of 80 µs"), created.out());

        assertEquals(0, cli.run("campaign", "start", "--oem", oem, "--campaign", "c-sh").code());
        Instruction i;
        try (Stream<Path> files = Files.list(dir.resolve("oem/outbox/veh-1"))) {
            i = SignedInstruction.open(Files.readAllBytes(files.sorted().reduce((a, b) -> b).orElseThrow()),
                    fx.oem.trustStore(), clock);
        }
        assertEquals(new ShadowDelivery(600, 15_000, 2, List.of(new ShadowDelivery.Tolerance(0x220, 2, 0),
                new ShadowDelivery.Tolerance(0x221, 0, 50_000))), i.shadow().orElseThrow());
    }

    @Test
    void shadowPromoteAndDiscardQueueSignedCommandsOnceAndRefuseWithExitFour() throws Exception {
        assertEquals(0, cli.run("campaign", "create", "--oem", oem, "--package", v2.toString(), "--vehicles", "veh-1",
                "--waves", "1", "--id", "c-sh", "--shadow-ticks", "600").code());
        CampaignCli.Result early = cli.run("campaign", "shadow-promote", "--oem", oem, "--campaign", "c-sh");
        assertEquals(4, early.code(), early.out() + early.err());
        assertTrue(early.err().contains("NO_SHADOW_RUNNING"), early.err());
        assertEquals(1, early.err().lines().count(), early.err());
        assertEquals(0, cli.run("campaign", "start", "--oem", oem, "--campaign", "c-sh").code());

        CampaignCli.Result discarded = cli.run("campaign", "shadow-discard", "--oem", oem, "--campaign", "c-sh", "--reason",
                "writes 127 on 0x220");
        assertEquals(0, discarded.code(), discarded.err());
        assertTrue(discarded.out().contains("discarded the shadows of campaign c-sh: 1 signed command(s) queued"),
                discarded.out());
        assertTrue(discarded.out().contains("ABORTED"), discarded.out());
        CampaignCli.Result status = cli.run("campaign", "status", "--oem", oem, "--campaign", "c-sh");
        assertTrue(status.out().contains("shadows concluded: discard by cli at") && status.out().contains(
                "1 vehicle command(s), 0 answered (writes 127 on 0x220)"), status.out());

        CampaignCli.Result again = cli.run("campaign", "shadow-promote", "--oem", oem, "--campaign", "c-sh");
        assertEquals(4, again.code());
        assertTrue(again.err().contains("SHADOW_DECIDED") && again.err().contains("already concluded"), again.err());
        CampaignCli.Result help = cli.run("campaign", "shadow-discard", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--reason=TEXT"), help.out());
    }

    @Test
    void refusesAMalformedToleranceAsAUsageError() {
        CampaignCli.Result r = cli.run("campaign", "create", "--oem", oem, "--package", v2.toString(), "--vehicles",
                "veh-1", "--waves", "1", "--shadow-ticks", "10", "--shadow-tolerance", "0x220");
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("is not ID:ABS[:REL%]"), r.err());
    }
}

package dev.wasmota.cli.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.testkit.MutableClock;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.pkg.PackageFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ota oem campaign|vehicle|release} end to end through picocli, on an OEM directory. */
class CampaignCommandsTest {
    @TempDir
    Path dir;

    Fixtures fx;
    MutableClock clock = new MutableClock(Fixtures.T0);
    CampaignCli cli;
    String oem;
    Path v1;
    Path v2;

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixtures(dir);
        oem = dir.resolve("oem").toString();
        cli = new CampaignCli(new CliEnv(clock, Fixtures.seeded(7)));
        v1 = dir.resolve("healthy-1.0.0.wotapkg");
        v2 = dir.resolve("healthy-2.0.0.wotapkg");
        PackageFile.write(v1, fx.released());
        PackageFile.write(v2, CampaignKit.healthy(fx, "2.0.0", 2, "healthy_v2.wasm"));
    }

    private void registerVehicles() {
        for (String v : List.of("veh-1", "veh-2", "veh-3")) {
            ok("vehicle", "register", "--oem", oem, "--id", v, "--hardware", "ecu-a");
        }
    }

    private CampaignCli.Result ok(String... args) {
        CampaignCli.Result r = cli.run(args);
        assertEquals(0, r.code(), r.err());
        return r;
    }

    private CampaignCli.Result refused(int code, String... args) {
        CampaignCli.Result r = cli.run(args);
        assertEquals(code, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        return r;
    }

    private Path lastFile(String vehicle) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("oem/outbox").resolve(vehicle))) {
            return files.sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    private Instruction instructionFor(String vehicle) throws Exception {
        return SignedInstruction.open(Files.readAllBytes(lastFile(vehicle)), fx.oem.trustStore(), clock);
    }

    @Test
    void runsACampaignThroughItsWaves() throws Exception {
        registerVehicles();
        ok("release", "publish", "--oem", oem, "--package", v1.toString());
        CampaignCli.Result created = ok("campaign", "create", "--oem", oem, "--package", v2.toString(), "--vehicles",
                "veh-1,veh-2,veh-3", "--waves", "1,100%", "--advance-at", "100%", "--expires", "1h", "--id", "c-cli");
        assertTrue(created.out().startsWith("created campaign c-cli: healthy@2.0.0 to 3 vehicles"), created.out());

        ok("campaign", "start", "--oem", oem, "--campaign", "c-cli");
        Instruction first = instructionFor("veh-1");
        assertEquals(1, first.counter());
        assertTrue(Files.isRegularFile(dir.resolve("oem/outbox/packages").resolve(first.packageSha256() + ".wotapkg")));

        CampaignCli.Result reported = ok("campaign", "report", "--oem", oem, "--campaign", "c-cli", "--vehicle", "veh-1",
                "--instruction", first.instructionId(), "--nonce", first.nonce(), "--result", "committed");
        assertTrue(reported.out().contains("recorded COMMITTED from vehicle veh-1"), reported.out());
        assertEquals("c-cli", instructionFor("veh-3").campaignId());

        String status = ok("campaign", "status", "--oem", oem, "--campaign", "c-cli").out();
        assertTrue(status.contains("state     RUNNING, wave 2/2"), status);
        assertTrue(status.contains("1     1     PASSED   1     1           1          0       0        100%     0%"), status);
        String overview = ok("campaign", "status", "--oem", oem).out();
        assertTrue(overview.contains("c-cli     healthy@2.0.0  RUNNING  2/2"), overview);

        Path third = lastFile("veh-3");
        CampaignCli.Result byFile = ok("campaign", "report", "--oem", oem, "--instruction-file", third.toString(),
                "--result", "failed", "--detail", "health check failed");
        assertTrue(byFile.out().contains("recorded FAILED from vehicle veh-3 for instruction "), byFile.out());
        assertTrue(byFile.out().endsWith("campaign c-cli is STOPPED\n"), byFile.out());
        CampaignCli.Result rolledBack = ok("campaign", "rollback", "--oem", oem, "--campaign", "c-cli");
        assertTrue(rolledBack.out().contains("to healthy@1.0.0: 1 rollback instructions"), rolledBack.out());
        assertEquals(2, instructionFor("veh-1").counter());
    }

    @Test
    void expiredInstructionsCountAsFailedBeforeEachCommand() throws Exception {
        registerVehicles();
        ok("campaign", "create", "--oem", oem, "--package", v2.toString(), "--hardware", "ecu-a", "--waves", "100%",
                "--expires", "10m", "--stop-at", "50", "--id", "c-exp");
        ok("campaign", "start", "--oem", oem, "--campaign", "c-exp");

        clock.advance(Duration.ofMinutes(11));

        String status = ok("campaign", "status", "--oem", oem, "--campaign", "c-exp").out();
        assertTrue(status.contains("state     STOPPED"), status);
        assertEquals(List.of("all", "3", "3", "0", "3", "0", "0%", "100%"), status.lines().filter(l -> l.startsWith("all"))
                .map(l -> List.of(l.split("\\s+"))).findFirst().orElseThrow());
    }

    @Test
    void refusesStatusWithWrongNonceWithExit3() throws Exception {
        registerVehicles();
        ok("campaign", "create", "--oem", oem, "--package", v2.toString(), "--vehicles", "veh-1", "--waves", "1",
                "--id", "c-nonce");
        ok("campaign", "start", "--oem", oem, "--campaign", "c-nonce");
        Instruction i = instructionFor("veh-1");

        CampaignCli.Result r = refused(3, "campaign", "report", "--oem", oem, "--campaign", "c-nonce", "--vehicle", "veh-1",
                "--instruction", i.instructionId(), "--nonce", "0123456789abcdef", "--result", "committed");

        assertTrue(r.err().startsWith("rejected (WRONG_NONCE): "), r.err());
    }

    @Test
    void refusesUnknownCampaignAndIllegalTransitionsWithExit4() {
        registerVehicles();
        assertTrue(refused(4, "campaign", "start", "--oem", oem, "--campaign", "c-none").err()
                .startsWith("rejected (UNKNOWN_CAMPAIGN): no campaign c-none"));
        ok("campaign", "create", "--oem", oem, "--package", v2.toString(), "--vehicles", "veh-1", "--waves", "1",
                "--id", "c-idle");
        assertTrue(refused(4, "campaign", "resume", "--oem", oem, "--campaign", "c-idle").err()
                .startsWith("rejected (ILLEGAL_TRANSITION): "));
        refused(4, "campaign", "create", "--oem", oem, "--release", "healthy@9.9.9", "--vehicles", "veh-2", "--waves", "1");
    }

    @Test
    void refusesSupplierOnlyPackageWithExit3() throws Exception {
        registerVehicles();
        Path supplierOnly = dir.resolve("supplier-only.wotapkg");
        PackageFile.write(supplierOnly, fx.supplierSigned(fx.unsignedHealthy("3.0.0", "healthy_v1.wasm"), fx.acme));

        refused(3, "campaign", "create", "--oem", oem, "--package", supplierOnly.toString(), "--vehicles", "veh-1",
                "--waves", "1");
        refused(3, "release", "publish", "--oem", oem, "--package", supplierOnly.toString());
    }

    @Test
    void holdsEachWaveForTheHoldGivenAtCreation() throws Exception {
        registerVehicles();
        CampaignCli.Result created = ok("campaign", "create", "--oem", oem, "--package", v2.toString(), "--vehicles",
                "veh-1,veh-2,veh-3", "--waves", "1,100%", "--advance-at", "100%", "--hold", "30s", "--id", "c-hold");
        assertTrue(created.out().contains(", hold 30s\n"), created.out());
        ok("campaign", "start", "--oem", oem, "--campaign", "c-hold");
        Instruction first = instructionFor("veh-1");
        ok("campaign", "report", "--oem", oem, "--campaign", "c-hold", "--vehicle", "veh-1",
                "--instruction", first.instructionId(), "--nonce", first.nonce(), "--result", "committed");

        String holding = ok("campaign", "status", "--oem", oem, "--campaign", "c-hold").out();
        clock.advance(Duration.ofSeconds(30));
        String after = ok("campaign", "status", "--oem", oem, "--campaign", "c-hold").out();

        assertTrue(holding.contains("; hold 30s\n"), holding);
        assertTrue(holding.contains("state     RUNNING, wave 1/2"), holding);
        assertTrue(after.contains("state     RUNNING, wave 2/2"), after);
        assertEquals("c-hold", instructionFor("veh-3").campaignId());
    }

    @Test
    void refusesHoldOverSevenDaysWithExit4() {
        registerVehicles();

        CampaignCli.Result r = refused(4, "campaign", "create", "--oem", oem, "--package", v2.toString(), "--vehicles",
                "veh-1", "--waves", "1", "--hold", "169h");

        assertTrue(r.err().contains("wave hold"), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "campaign create --oem O --release healthy@1.0.0 --vehicles veh-1 --waves 1 --hold 1500ms",
        "campaign create --oem O --release healthy@1.0.0 --vehicles veh-1 --waves 1 --hold -1s"})
    void refusesMalformedHoldWithExit2(String line) {
        CampaignCli.Result r = cli.run(line.replace(" O ", " " + oem + " ").split(" "));

        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("usage error: "), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "campaign",
        "campaign create --oem O --package P --release healthy@1.0.0 --vehicles veh-1 --waves 1",
        "campaign create --oem O --release healthy@1.0.0 --waves 1",
        "campaign create --oem O --release healthy@1.0.0 --vehicles veh-1 --waves 10%,5%",
        "campaign create --oem O --release healthy@1.0.0 --vehicles veh-1 --waves 1 --advance-at 0",
        "campaign create --oem O --release healthy@1.0.0 --vehicles veh-1 --waves 1 --expires 500ms",
        "campaign create --oem O --release healthy --vehicles veh-1 --waves 1",
        "campaign report --oem O --campaign c --vehicle v --instruction i --nonce n --result maybe",
        "campaign report --oem O --campaign c --vehicle v --instruction i --result committed",
        "campaign report --oem O --campaign c --vehicle v --instruction i --nonce n --instruction-file P --result failed",
        "campaign start --oem O",
        "vehicle",
        "release"})
    void usageErrorsExit2(String line) {
        String[] args = line.replace(" O ", " " + oem + " ").replace(" P ", " " + v2 + " ").split(" ");

        CampaignCli.Result r = cli.run(args);

        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("usage error: "), r.err());
    }

    @Test
    void everyCommandHasHelpAndASummaryThatIsOneShortSentence() {
        List<String> problems = new ArrayList<>();
        summaries(cli.tree(), problems);

        assertTrue(problems.isEmpty(), "summaries that are not a sentence of at most 70 characters: " + problems);
    }

    private void summaries(CommandLine command, List<String> problems) {
        command.getSubcommands().values().forEach(sub -> {
            String name = sub.getCommandSpec().qualifiedName();
            String[] description = sub.getCommandSpec().usageMessage().description();
            String first = description.length == 0 ? "" : description[0];
            if (first.length() > 70 || !first.endsWith(".") || !Character.isUpperCase(first.charAt(0))) {
                problems.add(name + ": '" + first + "'");
            }
            CampaignCli.Result help = ok((name.substring("oem ".length()) + " --help").split(" "));
            if (!help.out().startsWith("Usage: " + name)) {
                problems.add(name + " --help: " + help.out());
            }
            summaries(sub, problems);
        });
    }
}

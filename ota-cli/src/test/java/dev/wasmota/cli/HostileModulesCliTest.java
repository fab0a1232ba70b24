package dev.wasmota.cli;

import static dev.wasmota.cli.EcuCli.NONE;
import static dev.wasmota.cli.EcuCli.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.EcuCli.Result;
import dev.wasmota.cli.EcuCli.Row;
import dev.wasmota.contract.Digests;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.manifest.ResourceCaps;
import dev.wasmota.signing.pkg.CraftedPackages;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.wasm.ModuleInterface;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's hostile modules through the command line as a supplier, the OEM and a vehicle use it
 * ({@code supplier package}, {@code oem integrate}, {@code ecu install}, {@code ecu run}): what
 * declares more than the caps is refused before it is instantiated, with one line and exit 4;
 * what grows at run time is held at its cap; a rebuilt instance starts as signed.
 */
class HostileModulesCliTest {
    @TempDir
    static Path dir;
    static EcuCli cli;

    @BeforeAll
    static void oem() {
        cli = new EcuCli(dir);
    }

    private static Result packaged(String wasm, String module, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("supplier", "package", "--wasm",
                Fixtures.corpus(wasm).toString(), "--module", module, "--version", "1.0.0", "--security-version", "1",
                "--capabilities", "", "--memory-pages", "1", "--deadline-us", "100000", "--period-ms", "1",
                "--hardware", "ecu-a", "--out", dir.resolve(module + ".wotapkg").toString()));
        args.addAll(List.of(more));
        return cli.ota(args.toArray(String[]::new));
    }

    /** The package {@code module.wotapkg} written by {@code supplier package}, signed by acme. */
    private static Path signed(String module) throws IOException {
        Path pkg = dir.resolve(module + ".wotapkg");
        return cli.write(cli.fx.supplierSigned(PackageFile.read(pkg), cli.fx.acme), module + "-signed.wotapkg");
    }

    private static Result integrate(Path pkg, String out, String soakTicks) {
        return cli.ota("oem", "integrate", "--oem", dir.resolve("oem").toString(), "--package", pkg.toString(),
                "--soak-ticks", soakTicks, "--out", dir.resolve(out).toString());
    }

    @Test
    void modulesDeclaringMoreThanTheCeilingsAreRefusedAtPackaging() {
        for (String[] c : new String[][] {
                {"table_bomb_declared.wasm", "100,000,000 table elements at start (cap 65,536)"},
                {"table_bomb_100.wasm", "100 tables (cap 16)"},
                {"globals_bomb.wasm", "20,000 globals (cap 4,096)"}}) {
            String module = c[0].replace(".wasm", "").replace('_', '-');
            Result r = assertRefused(4, packaged(c[0], module));
            assertTrue(r.err().startsWith("rejected (RESOURCE_LIMIT): the module declares more than the host's"
                    + " ceilings allow: "), r.err());
            assertTrue(r.err().contains(c[1]), r.err());
            assertFalse(Files.exists(dir.resolve(module + ".wotapkg")), "nothing written");
        }
    }

    @Test
    void tablesDeclaredBeyondTheManifestsCapsAreRefusedAtIntakeAndOnTheVehicle() {
        byte[] wasm = Fixtures.wasm("table_bomb_declared.wasm");
        Manifest m = new Manifest("bomb", "1.0.0", 1, "acme", Digests.sha256Hex(wasm), wasm.length,
                ModuleInterface.read(wasm).exports(), NONE, 1, new ResourceCaps(10, 65_536, 0, 0, 0, 0, 0), 100_000,
                10, List.of("ecu-a"), Optional.empty());
        ModulePackage understated = CraftedPackages.signUnchecked(new ModulePackage(ManifestCodec.canonicalBytes(m),
                wasm, Optional.empty()), cli.fx.acme, cli.fx.clock);

        Result intake = assertRefused(4, integrate(cli.write(understated, "understated.wotapkg"), "bomb-out.wotapkg",
                "300"));
        assertTrue(intake.err().startsWith("rejected (RESOURCE_LIMIT): the module declares more than its manifest's"
                + " caps allow: 100,000,000 table elements at start (cap 65,536)"), intake.err());

        Path bypassed = cli.write(cli.fx.countersigned(understated), "bomb-countersigned.wotapkg");
        Path state = dir.resolve("state-bomb");
        Result install = assertRefused(4, cli.install(state, bypassed));
        assertTrue(install.err().startsWith("rejected (RESOURCE_LIMIT): the module declares more than its"
                + " manifest's caps allow"), install.err());
        assertTrue(cli.log(state).out().contains("INSTALL_REFUSED REFUSED module=bomb"), cli.log(state).out());
    }

    @Test
    void sixteenTablesGrowingByTenMillionEachAreHeldAtTheirCapBesideAHealthyModule() throws IOException {
        assertEquals(0, packaged("table_bomb_16.wasm", "bomb16").code());
        Result intake = integrate(signed("bomb16"), "bomb16-release.wotapkg", "3010");
        assertEquals(0, intake.code(), intake::toString);
        assertTrue(intake.out().contains("176 table grows refused at the cap of 16 elements"), intake.out());

        Path state = dir.resolve("state-bomb16");
        cli.installed(state, cli.healthy(1));
        cli.installed(state, dir.resolve("bomb16-release.wotapkg"));
        Result run = cli.run(state, "6s");

        Row bomb = run.row("bomb16");
        assertTrue(bomb.calls() > 3_000, () -> "past tick 3000, when it starts growing: " + bomb);
        assertEquals(0, bomb.misses() + bomb.traps() + bomb.other() + bomb.rollbacks(), bomb::toString);
        Row healthy = run.row("healthy");
        assertEquals(0, healthy.misses() + healthy.traps() + healthy.other(), healthy::toString);
    }

    @Test
    void aModuleMeantToTrapEveryFourthTickTrapsOnlyThatOftenOnTheVehicle() throws IOException {
        assertEquals(0, packaged("state_leak.wasm", "leak", "--table-elements", "8").code());
        Manifest m = ManifestCodec.parse(PackageFile.read(dir.resolve("leak.wotapkg")).manifestBytes());
        assertEquals(8, m.resources().tableElements());
        Path release = cli.write(cli.fx.countersigned(PackageFile.read(signed("leak"))), "leak-release.wotapkg");
        Path state = dir.resolve("state-leak");
        cli.installed(state, release);

        Row leak = cli.run(EcuCli.faultsNeverCluster(), state, "2s").row("leak");

        assertTrue(leak.calls() >= 40, leak::toString);
        assertEquals(leak.calls() / 4, leak.traps(), () -> "every 4th tick, every rebuilt instance fresh: " + leak);
    }

    @Test
    void aFormatOneManifestIsRefusedOnTheVehicleSayingWhy() {
        ModulePackage current = cli.fx.unsignedHealthy("1.0.0", "healthy_v1.wasm");
        String formatOne = new String(current.manifestBytes(), StandardCharsets.UTF_8)
                .replace(ManifestCodec.FORMAT, ManifestCodec.FORMAT_1).replaceFirst("\"resources\":\\{[^}]*\\},", "")
                .replace("\"supplierId\":\"unassigned\"", "\"supplierId\":\"acme\"");
        ModulePackage old = CraftedPackages.signUnchecked(new ModulePackage(formatOne.getBytes(StandardCharsets.UTF_8),
                current.wasmBytes(), Optional.empty()), cli.fx.acme, cli.fx.clock);
        Path pkg = cli.write(cli.fx.countersigned(old), "format-one.wotapkg");

        Result r = assertRefused(4, cli.install(dir.resolve("state-format-one"), pkg));
        assertTrue(r.err().startsWith("rejected (MALFORMED_MANIFEST): manifest format wasmota-manifest/1 is no longer"
                + " accepted"), r.err());
    }

}

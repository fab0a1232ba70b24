package dev.wasmota.cli;

import static dev.wasmota.cli.EcuCli.NONE;
import static dev.wasmota.cli.EcuCli.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.EcuCli.Result;
import dev.wasmota.contract.Digests;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.pkg.CraftedPackages;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.wasm.ModuleInterface;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module's code that never returns outside a timed call must not hang the OEM's intake or a
 * vehicle's install: a WebAssembly start function (it would run when an instance is built) is
 * refused before any instance is, and an {@code init()} that never returns is stopped at its
 * budget and refused, at intake and at install, leaving the vehicle's slots as they were.
 */
class OverrunCliTest {
    @TempDir
    static Path dir;
    static EcuCli cli;

    @BeforeAll
    static void oem() {
        cli = new EcuCli(dir);
    }

    private static Result integrate(Path pkg, String out) {
        return cli.ota("oem", "integrate", "--oem", dir.resolve("oem").toString(), "--package", pkg.toString(),
                "--soak-ticks", "50", "--out", dir.resolve(out).toString());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aStartFunctionThatNeverReturnsIsRefusedAtIntakeAndAtInstallWithoutRunning() {
        byte[] wasm = Fixtures.wasm("start_spin.wasm");
        Manifest m = new Manifest("spinner", "1.0.0", 1, "acme", Digests.sha256Hex(wasm), wasm.length,
                ModuleInterface.read(wasm).exports(), NONE, 1,
                Fixtures.capsOf(wasm, EcuCli.spec("spinner", "1.0.0", NONE)), 100_000, 10, List.of("ecu-a"),
                Optional.empty());
        ModulePackage signed = CraftedPackages.signUnchecked(new ModulePackage(ManifestCodec.canonicalBytes(m), wasm,
                Optional.empty()), cli.fx.acme, cli.fx.clock);

        Result intake = assertRefused(4, integrate(cli.write(signed, "spinner.wotapkg"), "spinner-release.wotapkg"));
        assertTrue(intake.err().startsWith("rejected (INVALID_WASM): ") && intake.err().contains("has a start function"),
                intake.err());

        Path state = dir.resolve("state-start");
        cli.installed(state, cli.healthy(1));
        Result install = assertRefused(4, cli.install(state, cli.write(cli.fx.countersigned(signed),
                "spinner-countersigned.wotapkg")));
        assertTrue(install.err().startsWith("rejected (INVALID_WASM): ") && install.err().contains("has a start function"),
                install.err());
        assertEquals(0, cli.run(state, "300ms").row("healthy").misses(), "the installed module runs on");
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void anInitThatNeverReturnsIsStoppedAndRefusedAtIntakeAndAtInstall() {
        var spec = EcuCli.spec("init-spin", "1.0.0", NONE, 1, 2_000, List.of("ecu-a"));
        Result intake = assertRefused(5, integrate(cli.write(cli.supplierSigned("init_spin.wasm", spec),
                "init-spin.wotapkg"), "init-spin-release.wotapkg"));
        assertTrue(intake.err().startsWith("rejected (DEADLINE_MISS): the health check init(): DEADLINE_MISS: was stopped"),
                intake.err());

        Path state = dir.resolve("state-init");
        cli.installed(state, cli.healthy(1));
        Result install = assertRefused(5, cli.install(state, cli.released("init_spin.wasm", spec)));
        assertTrue(install.err().startsWith("rejected (DEADLINE_MISS): health check of init-spin 1.0.0 failed"),
                install.err());
        assertTrue(cli.log(state).out().contains("HEALTH_CHECK FAILURE module=init-spin"), cli.log(state).out());
    }
}

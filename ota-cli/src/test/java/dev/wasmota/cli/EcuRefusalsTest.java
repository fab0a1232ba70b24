package dev.wasmota.cli;

import static dev.wasmota.cli.EcuCli.NONE;
import static dev.wasmota.cli.EcuCli.assertRefused;
import static dev.wasmota.cli.EcuCli.spec;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.EcuCli.Result;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.manifest.CapabilitySet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packages the ECU must refuse, through {@code ota ecu install}: each exits with its CONTRACT code
 * and one "rejected (" line, and healthy v1, installed first, stays active.
 */
class EcuRefusalsTest {
    @TempDir
    static Path dir;
    static EcuCli cli;
    static Path v1;

    @BeforeAll
    static void release() {
        cli = new EcuCli(dir);
        v1 = cli.healthy(1);
    }

    /** A state with healthy v1 active. */
    private static Path withV1(String name) {
        Path state = dir.resolve("state-" + name);
        cli.installed(state, v1);
        return state;
    }

    private static void assertV1StillActive(Path state) {
        Result again = cli.installed(state, v1);
        assertTrue(again.out().contains("healthy 1.0.0 is already active (slot A)"), again.out());
    }

    @Test
    void forbiddenImportBeyondTheSupplierCertificateIsRefused() {
        Path state = withV1("forbidden");
        Path pkg = cli.releasedBeyondCertificate("forbidden_import.wasm",
                spec("healthy", "1.1.0", CapabilitySet.parse("log,i2c:1:50")));

        Result verify = assertRefused(4, cli.verify(pkg));
        assertTrue(verify.err().startsWith("rejected (CAPABILITY_NOT_CERTIFIED)"), verify.err());
        Result r = assertRefused(4, cli.install(state, pkg));
        assertTrue(r.err().startsWith("rejected (CAPABILITY_NOT_CERTIFIED)"), r.err());
        assertTrue(r.err().contains("i2c:1:50"), r.err());
        assertV1StillActive(state);
        assertTrue(cli.log(state).out().contains("SECURITY_EVENT REFUSED cause=CAPABILITY_NOT_CERTIFIED"));
    }

    @Test
    void wasiImportCannotEvenBePackaged() {
        Path out = dir.resolve("wasi.wotapkg");
        Result r = assertRefused(4, cli.ota("supplier", "package", "--wasm", Fixtures.corpus("wasi_import.wasm").toString(),
                "--module", "wasi", "--version", "1.0.0", "--security-version", "1", "--capabilities",
                "log,clock", "--memory-pages", "1", "--deadline-us", "2000",
                "--period-ms", "10", "--out", out.toString()));
        assertTrue(r.err().contains("wasi_snapshot_preview1.fd_write"), r.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void hugeFunctionIsRefusedNamingTheFunction() {
        Path state = withV1("huge");
        Result r = assertRefused(4, cli.install(state, cli.released("huge_function.wasm", spec("healthy", "1.1.0", NONE))));
        assertTrue(r.err().contains("\"big\""), r.err());
        assertV1StillActive(state);
    }

    @Test
    void packageWithAFlippedModuleByteIsRefused() {
        Path state = withV1("flipped");
        Path tampered = cli.withFlippedModuleByte(cli.healthy(2));

        Result r = assertRefused(3, cli.install(state, tampered));
        assertTrue(r.err().startsWith("rejected (DIGEST_MISMATCH)"), r.err());
        assertV1StillActive(state);
        assertTrue(cli.log(state).out().contains("SECURITY_EVENT REFUSED cause=DIGEST_MISMATCH"));
    }

    @Test
    void supplierOnlyPackageIsRefusedForWantOfTheOemCountersignature() {
        Path state = withV1("uncountersigned");
        Path pkg = cli.write(cli.supplierSigned("healthy_v2.wasm", spec("healthy", "2.0.0", EcuCli.HEALTHY_CAPS)),
                "supplier-only.wotapkg");

        Result r = assertRefused(3, cli.install(state, pkg));
        assertTrue(r.err().contains("missing OEM countersignature"), r.err());
        assertV1StillActive(state);
    }

    @Test
    void moduleWithoutTickCountersignedPastIntakeIsRefusedAtInstall() {
        Path state = withV1("no-tick");
        Path pkg = cli.releasedPastIntake("no_tick.wasm", spec("notick", "1.0.0", NONE));

        Result r = assertRefused(4, cli.install(state, pkg));
        assertTrue(r.err().startsWith("rejected (EXPORT_MISMATCH): notick 1.0.0: the module does not export tick: ()->()"),
                r.err());
        assertFalse(Files.exists(state.resolve("slots/modules/notick")), "nothing staged");
        assertTrue(cli.log(state).out().contains("INSTALL_REFUSED REFUSED module=notick version=1.0.0"));
        Result run = cli.run(state, "500ms");
        assertTrue(run.out().contains("running 1 module(s)"), run.out());
        assertTrue(run.row("healthy").calls() > 0, run.out());
    }

    @Test
    void tickOrInitOfAnotherTypeIsRefusedAtInstall() {
        Path state = withV1("export-types");
        Result tick = assertRefused(4, cli.install(state, cli.releasedPastIntake("tick_with_param.wasm",
                spec("badtick", "1.0.0", NONE))));
        assertTrue(tick.err().contains("export tick has type (i32)->(); the host calls it as ()->()"), tick.err());
        Result init = assertRefused(4, cli.install(state, cli.releasedPastIntake("init_wrong_type.wasm",
                spec("badinit", "1.0.0", NONE))));
        assertTrue(init.err().contains("export init has type ()->(i64); the host calls it as ()->(i32)"), init.err());
        assertV1StillActive(state);
    }

    @Test
    void oversizedPackageIsRefusedAsMalformedWithItsRecordOnEveryPath() throws Exception {
        Path state = withV1("oversized");
        Path huge = dir.resolve("huge.wotapkg");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(dev.wasmota.signing.pkg.PackageFile.MAX_FILE_BYTES + 1);
        }

        Result verify = assertRefused(4, cli.verify(huge));
        Result install = assertRefused(4, cli.install(state, huge));
        for (Result r : List.of(verify, install)) {
            assertTrue(r.err().startsWith("rejected (MALFORMED_PACKAGE): package file of "
                    + (dev.wasmota.signing.pkg.PackageFile.MAX_FILE_BYTES + 1) + " bytes exceeds the"), r.err());
        }
        assertTrue(cli.log(state).out().contains("INSTALL_REFUSED REFUSED cause=MALFORMED_PACKAGE"), cli.log(state).out());
        assertV1StillActive(state);
    }

    @Test
    void packageForOtherHardwareIsRefused() {
        Path state = withV1("hardware");
        Path pkg = cli.released("healthy_v2.wasm",
                spec("healthy", "2.0.0", EcuCli.HEALTHY_CAPS, 1, EcuCli.ROOMY_DEADLINE_US, List.of("ecu-b")));

        Result r = assertRefused(4, cli.install(state, pkg));
        assertTrue(r.err().startsWith("rejected (WRONG_HARDWARE)"), r.err());
        assertTrue(r.err().contains("ecu-b") && r.err().contains("ecu-a"), r.err());
        assertV1StillActive(state);
    }
}

package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.signing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module takeover of issue 13, end to end through the command line as people type it: two
 * enrolled suppliers, acme owning module {@code healthy}; globex packages acme's module id at
 * security version 9. Before the fix the intake countersigned it, the vehicle replaced acme's
 * module, and its floor then refused acme's next release ({@code ANTI_ROLLBACK ... below the floor 9}).
 * Then the OEM's explicit transfer, and both ends following it.
 */
class ModuleOwnershipCliTest {
    static final String CAPS = "log,clock,can.read:120,can.write:220";

    @TempDir
    Path dir;
    Path oem;
    Path state;
    Path trust;

    record Result(int code, String out, String err) {
    }

    Result ota(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new CliEnv(Clock.fixed(Fixtures.T0, ZoneOffset.UTC), Fixtures.seeded(5)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Result ok(String... args) {
        Result r = ota(args);
        assertEquals(0, r.code(), () -> String.join(" ", args) + " -> " + r);
        return r;
    }

    /** A refusal: exit {@code code}, one line on stderr naming {@code reason}. */
    Result refused(int code, String reason, Result r) {
        assertEquals(code, r.code(), r::toString);
        assertEquals(1, r.err().lines().count(), () -> "one line on stderr: " + r);
        assertTrue(r.err().startsWith("rejected (" + reason + ")"), r::toString);
        return r;
    }

    @BeforeEach
    void oemAndTwoSuppliers() {
        oem = dir.resolve("oem");
        state = dir.resolve("vehicle");
        trust = oem.resolve("vehicle-trust");
        ok("oem", "init", "--out", oem.toString());
        for (String supplier : List.of("acme", "globex")) {
            Path d = dir.resolve(supplier);
            ok("supplier", "keygen", "--supplier", supplier, "--out", d.toString());
            ok("oem", "enroll", "--oem", oem.toString(), "--csr", d.resolve(supplier + ".csr.pem").toString(),
                    "--supplier", supplier, "--capabilities", "log,clock,can.read:100-1ff,can.write:200-2ff",
                    "--out", d.resolve(supplier + ".cert.pem").toString());
        }
    }

    /** {@code supplier keygen/package/sign}: module healthy at {@code version} from {@code supplier}. */
    Path packaged(String supplier, String version, long securityVersion) {
        Path d = dir.resolve(supplier);
        Path pkg = d.resolve("healthy-" + version + ".wotapkg");
        String wasm = version.startsWith("1.") ? "healthy_v1.wasm" : "healthy_v2.wasm";
        ok("supplier", "package", "--wasm", CliRoundTripTest.corpus(wasm), "--module", "healthy", "--version", version,
                "--security-version", Long.toString(securityVersion), "--capabilities", CAPS, "--memory-pages", "1",
                "--deadline-us", "100000", "--period-ms", "10", "--hardware", "ecu-a", "--out", pkg.toString());
        ok("supplier", "sign", "--package", pkg.toString(), "--key", d.resolve(supplier + ".key.pem").toString(),
                "--cert", d.resolve(supplier + ".cert.pem").toString());
        return pkg;
    }

    Path released(Path pkg) {
        return pkg.resolveSibling("released-" + pkg.getFileName());
    }

    Result integrate(Path pkg) {
        return ota("oem", "integrate", "--oem", oem.toString(), "--package", pkg.toString(), "--out",
                released(pkg).toString(), "--soak-ticks", "200");
    }

    Result install(Path release) {
        return ota("ecu", "install", "--state", state.toString(), "--trust", trust.toString(), "--hardware-id", "ecu-a",
                "--package", release.toString());
    }

    List<AuditRecord> oemLog() {
        return dev.wasmota.cli.oem.OemTrail.records(oem);
    }

    @Test
    void anotherEnrolledSupplierCannotTakeOverAModuleAndLockItsOwnerOut() {
        Path acmeV1 = packaged("acme", "1.0.0", 1);
        ok("oem", "integrate", "--oem", oem.toString(), "--package", acmeV1.toString(), "--out", released(acmeV1).toString(),
                "--soak-ticks", "200");
        ok("ecu", "install", "--state", state.toString(), "--trust", trust.toString(), "--hardware-id", "ecu-a",
                "--package", released(acmeV1).toString());

        Path takeover = packaged("globex", "9.0.0", 9);
        Result intake = refused(4, "MODULE_OWNED_BY_ANOTHER_SUPPLIER", integrate(takeover));
        assertTrue(intake.err().contains("belongs to supplier acme"), intake.err());
        assertTrue(intake.out().contains("refused at check module-owner (MODULE_OWNED_BY_ANOTHER_SUPPLIER, exit 4)"),
                intake.out());
        assertFalse(Files.exists(released(takeover)), "nothing countersigned");
        List<AuditRecord> log = oemLog();
        assertEquals(List.of(AuditEvent.SECURITY_EVENT, AuditEvent.INTAKE_REJECTED),
                log.subList(log.size() - 2, log.size()).stream().map(AuditRecord::event).toList());

        Path acmeV2 = packaged("acme", "2.0.0", 2);
        ok("oem", "integrate", "--oem", oem.toString(), "--package", acmeV2.toString(), "--out", released(acmeV2).toString(),
                "--soak-ticks", "200");
        Result upgrade = install(released(acmeV2));
        assertEquals(0, upgrade.code(), () -> "the rightful owner is not locked out: " + upgrade);
        assertEquals(0, ota("ecu", "log", "--state", state.toString(), "--verify").code());
        assertEquals(0, ota("oem", "log", "--oem", oem.toString(), "--verify").code());
    }

    @Test
    void theOemTransfersTheModuleAndIntakeAndVehicleFollowIt() {
        Path acmeV1 = packaged("acme", "1.0.0", 1);
        ok("oem", "integrate", "--oem", oem.toString(), "--package", acmeV1.toString(), "--out", released(acmeV1).toString(),
                "--soak-ticks", "200");
        ok("ecu", "install", "--state", state.toString(), "--trust", trust.toString(), "--hardware-id", "ecu-a",
                "--package", released(acmeV1).toString());

        Result transfer = ok("oem", "module", "transfer", "--oem", oem.toString(), "--module", "healthy", "--to", "globex",
                "--reason", "acme sold the product line to globex");
        assertTrue(transfer.out().contains("module healthy transferred from acme to globex; releases of globex start at"
                + " security version 2"), transfer.out());
        AuditRecord recorded = oemLog().get(oemLog().size() - 1);
        assertEquals(AuditEvent.MODULE_OWNER_TRANSFERRED, recorded.event());
        assertTrue(recorded.detail().contains("acme sold the product line"), recorded.detail());
        assertTrue(ok("oem", "module", "list", "--oem", oem.toString()).out()
                .contains("acme->globex from sv 2"), "the list shows the transfer");

        refused(4, "BELOW_TRANSFER_FLOOR", integrate(packaged("globex", "1.5.0", 1)));
        Path globexV2 = packaged("globex", "2.0.0", 2);
        ok("oem", "integrate", "--oem", oem.toString(), "--package", globexV2.toString(), "--out",
                released(globexV2).toString(), "--soak-ticks", "200");
        Result handover = install(released(globexV2));
        assertEquals(0, handover.code(), handover::toString);

        refused(4, "MODULE_OWNED_BY_ANOTHER_SUPPLIER", integrate(packaged("acme", "3.0.0", 3)));
        Result formerOwner = refused(4, "MODULE_OWNED_BY_ANOTHER_SUPPLIER", install(released(acmeV1)));
        assertTrue(formerOwner.err().contains("installed from supplier globex"), formerOwner.err());
        Result vehicleLog = ota("ecu", "log", "--state", state.toString());
        assertTrue(vehicleLog.out().lines().anyMatch(l -> l.contains("SECURITY_EVENT REFUSED")
                && l.contains("cause=MODULE_OWNED_BY_ANOTHER_SUPPLIER")), vehicleLog::toString);
        assertEquals(0, ota("oem", "log", "--oem", oem.toString(), "--verify").code());
    }

    @Test
    void refusedTransfersAreAuditedAndBadArgumentsAreUsageErrors() {
        Result unknown = refused(4, "UNKNOWN_MODULE", ota("oem", "module", "transfer", "--oem", oem.toString(),
                "--module", "healthy", "--to", "globex", "--reason", "no such module yet"));
        assertTrue(unknown.err().contains("has no owner yet"), unknown.err());
        AuditRecord refusal = oemLog().get(oemLog().size() - 1);
        assertEquals(AuditEvent.MODULE_OWNER_TRANSFERRED, refusal.event());
        assertEquals(AuditRecord.Outcome.REFUSED, refusal.outcome());
        assertEquals("UNKNOWN_MODULE", refusal.cause());

        Path acmeV1 = packaged("acme", "1.0.0", 1);
        ok("oem", "integrate", "--oem", oem.toString(), "--package", acmeV1.toString(), "--out", released(acmeV1).toString(),
                "--soak-ticks", "200");
        refused(4, "INVALID_TRANSFER", ota("oem", "module", "transfer", "--oem", oem.toString(), "--module", "healthy",
                "--to", "acme", "--reason", "to itself"));
        refused(4, "INVALID_TRANSFER", ota("oem", "module", "transfer", "--oem", oem.toString(), "--module", "healthy",
                "--to", "globex", "--reason", "into acme's versions", "--min-security-version", "1"));
        for (String[] bad : new String[][] {
                {"--module", "healthy", "--to", "globex"},
                {"--module", "healthy", "--to", "Globex Inc", "--reason", "x"},
                {"--module", "healthy", "--to", "globex", "--reason", " "},
                {"--module", "healthy", "--to", "globex", "--reason", "x".repeat(201)},
                {"--module", "healthy", "--to", "globex", "--reason", "x", "--min-security-version", "-1"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("oem", "module", "transfer", "--oem",
                    oem.toString()), java.util.Arrays.stream(bad)).toArray(String[]::new);
            assertEquals(2, ota(args).code(), String.join(" ", args));
        }
        assertEquals(2, ota("oem", "module").code());
        assertTrue(ok("oem", "module", "list", "--oem", oem.toString()).out().lines()
                .anyMatch(l -> l.startsWith("healthy") && l.contains("acme") && l.endsWith("-")), "still acme's, no transfer");
    }
}

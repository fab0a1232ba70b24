package dev.wasmota.cli.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.intake.IntakeCheck;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageSpec;
import dev.wasmota.signing.pkg.PackageVerifier;
import dev.wasmota.signing.pkg.Packager;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ota oem integrate} end to end on files: outputs, progress, exit codes as the ota launcher maps them. */
class OemIntegrateCommandTest {
    @TempDir
    Path dir;
    Fixtures fx;
    Path oem;
    Path pkg;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() throws Exception {
        fx = new Fixtures(dir);
        oem = dir.resolve("oem");
        pkg = dir.resolve("healthy.wotapkg");
        PackageSpec spec = new PackageSpec("healthy", "1.0.0", 1, PackageSpec.UNASSIGNED,
                CapabilitySet.parse("log,clock,can.read:120,can.write:220"), 1, 200_000, 10, List.of(), Optional.empty());
        PackageFile.write(pkg, fx.supplierSigned(Packager.build(Fixtures.wasm("healthy_v1.wasm"), spec), fx.acme));
    }

    /** Runs the command as {@code ota} does: a refusal is its reason's exit code, an existing --out a usage error. */
    int run(String... args) {
        CommandLine cmd = new CommandLine(new OemIntegrateCommand(new CliEnv(fx.clock, Fixtures.seeded(3))));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setExecutionExceptionHandler((ex, line, parse) -> {
            err.write(ex instanceof RejectedException r ? r.userMessage() : ex.toString());
            return ex instanceof RejectedException r ? r.exitCode().code() : ex instanceof FileAlreadyExistsException ? 2 : 1;
        });
        return cmd.execute(args);
    }

    @Test
    void countersignsWritesTheReportAndRecordsIt() throws Exception {
        Path release = dir.resolve("out").resolve("healthy-1.0.0.wotapkg");
        int code = run("--oem", oem.toString(), "--package", pkg.toString(), "--vectors",
                Fixtures.corpus("healthy_v1.vectors.json").toString(), "--out", release.toString(), "--soak-ticks", "200");
        assertEquals(0, code, out + "\n" + err);
        String printed = out.toString();
        for (String check : List.of("supplier-signature", "module-owner", "wasm", "exports", "compile", "warm-up", "vectors", "soak",
                "timing", "countersign")) {
            assertTrue(printed.contains("  " + check + " "), () -> check + " missing in\n" + printed);
        }
        assertTrue(printed.contains("accepted healthy 1.0.0 (security version 1) from acme"), printed);
        new PackageVerifier(fx.oem.trustStore(), fx.clock).verify(PackageFile.read(release));
        JsonNode report = new ObjectMapper().readTree(dir.resolve("out").resolve("healthy-1.0.0.wotapkg.report.json").toFile());
        assertTrue(report.get("accepted").asBoolean());
        assertEquals(200, report.get("soak").get("ticksRun").asInt());
        List<AuditRecord> records = OemTrail.records(oem);
        assertEquals(List.of(AuditEvent.INTAKE_ACCEPTED, AuditEvent.MODULE_OWNER_RECORDED, AuditEvent.RELEASE_COUNTERSIGNED),
                records.stream().map(AuditRecord::event).toList());
    }

    @Test
    void refusalExitsWithItsCodeWritesOnlyTheReport() throws Exception {
        Path vectors = dir.resolve("wrong.vectors.json");
        Files.writeString(vectors, "[{\"export\": \"version\", \"expect\": [7]}]");
        Path release = dir.resolve("healthy-1.0.0.wotapkg");
        int code = run("--oem", oem.toString(), "--package", pkg.toString(), "--vectors", vectors.toString(),
                "--out", release.toString());
        assertEquals(5, code, out + "\n" + err);
        assertTrue(err.toString().startsWith("rejected (VECTOR_FAILED): case 0 (version): expected [7], got [1]"),
                err.toString());
        assertTrue(out.toString().contains("refused at check vectors (VECTOR_FAILED, exit 5)"), out.toString());
        assertFalse(Files.exists(release));
        JsonNode report = new ObjectMapper().readTree(dir.resolve("healthy-1.0.0.wotapkg.report.json").toFile());
        assertFalse(report.get("accepted").asBoolean());
        assertEquals("vectors", report.get("rejection").get("check").asText());
        assertEquals("not-run", report.get("checks").get(IntakeCheck.SOAK.ordinal()).get("result").asText());
        assertEquals(AuditEvent.INTAKE_REJECTED, OemTrail.records(oem).get(0).event());
    }

    @Test
    void refusesToOverwriteARelease() throws Exception {
        Path release = dir.resolve("existing.wotapkg");
        Files.writeString(release, "x");
        assertEquals(2, run("--oem", oem.toString(), "--package", pkg.toString(), "--out", release.toString()));
        assertEquals("x", Files.readString(release));
        assertTrue(OemTrail.records(oem).isEmpty(), "nothing recorded");
    }

    @Test
    void refusesAMarginOutOfRangeAsUsage() {
        assertEquals(2, run("--oem", oem.toString(), "--package", pkg.toString(), "--out",
                dir.resolve("x.wotapkg").toString(), "--margin", "0"));
        assertTrue(err.toString().contains("margin 0 % is outside 1..100"), err.toString());
    }

    @Test
    void helpStartsWithASentence() {
        assertEquals(0, run("--help"));
        String first = out.toString().lines().filter(l -> !l.isBlank() && !l.startsWith("Usage")
                && !l.startsWith(" ")).findFirst().orElseThrow();
        assertEquals("Checks a supplier package and countersigns it if every check passes.", first);
    }
}

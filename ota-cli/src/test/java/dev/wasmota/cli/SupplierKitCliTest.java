package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.cli.EcuCli.Result;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pkg.Packager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ota supplier test} and {@code ota supplier new} on the command line, without a WASM
 * toolchain (SupplierKitIT builds the kit's examples and new projects): the supplier learns of
 * the intake's refusal, with the OEM's reason, line and exit code, before submitting.
 */
class SupplierKitCliTest {
    static final Path KIT = Path.of(System.getProperty("wasmota.kit", "../supplier-kit"));

    @TempDir
    Path dir;
    EcuCli cli;

    @BeforeEach
    void setUp() {
        cli = new EcuCli(dir);
    }

    Result supplierTest(Path pkg, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("supplier", "test", "--package", pkg.toString(),
                "--soak-ticks", "300"));
        args.addAll(List.of(more));
        return cli.ota(args.toArray(String[]::new));
    }

    Result integrate(Path pkg, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("oem", "integrate", "--oem", dir.resolve("oem").toString(),
                "--package", pkg.toString(), "--soak-ticks", "300", "--out", dir.resolve("release.wotapkg").toString()));
        args.addAll(List.of(more));
        return cli.ota(args.toArray(String[]::new));
    }

    Path signed(String wasm, String module) {
        return cli.write(cli.supplierSigned(wasm, EcuCli.spec(module, "1.0.0", EcuCli.NONE)), module + ".wotapkg");
    }

    @Test
    void refusesATrapInTheSoakWithTheOemsLineAndExitCode() {
        Path pkg = signed("trap_storm.wasm", "storm");
        Result supplier = EcuCli.assertRefused(5, supplierTest(pkg));
        Result oem = EcuCli.assertRefused(5, integrate(pkg));

        assertEquals(oem.err(), supplier.err());
        assertTrue(supplier.err().startsWith("rejected (TRAP): tick 5 of 300"), supplier.err());
        assertTrue(supplier.out().contains("refused at check soak (TRAP, exit 5): the OEM's intake would refuse it the same way"),
                supplier.out());
    }

    @Test
    void refusesAModuleTheVehiclesCompilerCannotTakeWithTheOemsLineAndExitCode() {
        Path pkg = signed("huge_function.wasm", "huge");
        Result supplier = EcuCli.assertRefused(4, supplierTest(pkg));
        Result oem = EcuCli.assertRefused(4, integrate(pkg));

        assertEquals(oem.err(), supplier.err());
        assertTrue(supplier.err().startsWith("rejected (INTERPRETER_FALLBACK)"), supplier.err());
    }

    @Test
    void refusesAFailingVectorWithTheOemsLineAndExitCode() throws Exception {
        Path pkg = cli.write(cli.supplierSigned("healthy_v1.wasm", EcuCli.spec("healthy", "1.0.0", EcuCli.HEALTHY_CAPS)),
                "healthy.wotapkg");
        Path vectors = Files.writeString(dir.resolve("wrong.json"), "[{\"export\": \"scale\", \"args\": [\"2\"], \"expect\": [\"5\"]}]");
        Result supplier = EcuCli.assertRefused(5, supplierTest(pkg, "--vectors", vectors.toString()));
        Result oem = EcuCli.assertRefused(5, integrate(pkg, "--vectors", vectors.toString()));

        assertEquals(oem.err(), supplier.err());
        assertTrue(supplier.err().startsWith("rejected (VECTOR_FAILED): case 0"), supplier.err());
    }

    @Test
    void passesAnUnsignedPackageAndWritesTheReportInTheOemsFormat() throws Exception {
        Path pkg = cli.write(Packager.build(Fixtures.wasm("healthy_v1.wasm"),
                EcuCli.spec("healthy", "1.0.0", EcuCli.HEALTHY_CAPS)), "unsigned.wotapkg");
        Path report = dir.resolve("out/report.json");
        Files.createDirectories(report.getParent());
        Result r = cli.ok("supplier", "test", "--package", pkg.toString(), "--vectors",
                Fixtures.corpus("healthy_v1.vectors.json").toString(), "--report", report.toString());

        assertTrue(r.out().contains("passed: healthy 1.0.0"), r.out());
        assertTrue(r.out().contains("left to the OEM: supplier-signature, module-owner, countersign"), r.out());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals("wasmota-intake-report/1", json.get("format").asText());
        assertTrue(json.get("rejection").isNull());
        assertFalse(json.get("accepted").asBoolean(), "nothing is countersigned");
        assertEquals("skipped", json.get("checks").get(1).get("result").asText());
        assertEquals("ok", json.get("checks").get(6).get("result").asText(), json.get("checks").get(6).toString());
        assertEquals(List.of(), Files.list(dir).filter(p -> p.toString().endsWith(".report.json")).toList(),
                "only where --report says");
    }

    @Test
    void writesTheReportBesideThePackageByDefault() {
        Path pkg = signed("empty.wasm", "empty");
        cli.ok("supplier", "test", "--package", pkg.toString(), "--soak-ticks", "300");
        assertTrue(Files.isRegularFile(dir.resolve("empty.wotapkg.report.json")));
    }

    @Test
    void makesAProjectAndRefusesBadArgumentsAsUsageErrors() throws Exception {
        Result made = cli.ok("supplier", "new", "--lang", "c", "--module", "door-lock", "--kit", KIT.toString(),
                dir.resolve("door").toString());
        assertTrue(made.out().startsWith("made c module door-lock in "), made.out());
        assertTrue(Files.isRegularFile(dir.resolve("door/ecu.h")));

        for (String[] bad : new String[][] {
                {"--lang", "go", "--module", "m", dir.resolve("go").toString()},
                {"--lang", "c", "--module", "Not_An_Id", dir.resolve("bad-id").toString()},
                {"--lang", "c", "--module", "m", dir.resolve("door").toString()},
                {"--lang", "c", "--module", "m", "--kit", dir.resolve("no-kit").toString(), dir.resolve("nk").toString()}}) {
            List<String> args = new java.util.ArrayList<>(List.of("supplier", "new"));
            args.addAll(List.of(bad));
            if (!args.contains("--kit")) {
                args.addAll(2, List.of("--kit", KIT.toString()));
            }
            Result r = cli.ota(args.toArray(String[]::new));
            assertEquals(2, r.code(), () -> args + " -> " + r);
            assertTrue(r.err().startsWith("usage error: "), r.err());
        }
        assertFalse(Files.exists(dir.resolve("go")) || Files.exists(dir.resolve("bad-id")) || Files.exists(dir.resolve("nk")));
    }

    @Test
    void helpNamesEveryOption() {
        Result test = cli.ok("supplier", "test", "--help");
        List.of("--package", "--vectors", "--report", "--soak-ticks", "--margin", "--seed", "--host-memory-pages")
                .forEach(o -> assertTrue(test.out().contains(o), o));
        Result made = cli.ok("supplier", "new", "--help");
        List.of("--lang", "--module", "--kit", "DIR").forEach(o -> assertTrue(made.out().contains(o), o));
    }
}

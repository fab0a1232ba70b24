package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.Digests;
import dev.wasmota.signing.pkg.PackageFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ota supplier package --sbom} to {@code ota oem integrate}: the SBOM travels in the package and is checked. */
class SbomCliTest {
    @TempDir
    Path dir;

    CliRoundTripTest cli = new CliRoundTripTest();
    String oem;

    @BeforeEach
    void setUp() {
        cli.dir = dir;
        oem = dir.resolve("oem").toString();
        cli.ok("oem", "init", "--out", oem);
        cli.ok("supplier", "keygen", "--supplier", "acme", "--out", dir.resolve("acme").toString());
        cli.ok("oem", "enroll", "--oem", oem, "--csr", dir.resolve("acme/acme.csr.pem").toString(), "--supplier", "acme",
                "--capabilities", "log,clock,can.read:100-1ff,can.write:200-2ff", "--out", dir.resolve("acme/acme.cert.pem").toString());
    }

    static String sbomOf(String wasmFile) throws Exception {
        String sha = Digests.sha256Hex(Files.readAllBytes(Path.of(CliRoundTripTest.corpus(wasmFile))));
        return "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"metadata\":{\"component\":"
                + "{\"type\":\"application\",\"name\":\"healthy\",\"version\":\"1.0.0\",\"hashes\":[{\"alg\":\"SHA-256\","
                + "\"content\":\"" + sha + "\"}]}},\"components\":[{\"type\":\"library\",\"name\":\"libm\",\"version\":\"0.2.8\","
                + "\"purl\":\"pkg:cargo/libm@0.2.8\"}]}";
    }

    private CliRoundTripTest.Result pack(String pkg, String sbom) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("supplier", "package", "--wasm",
                CliRoundTripTest.corpus("healthy_v1.wasm"), "--module", "healthy", "--version", "1.0.0", "--security-version",
                "1", "--capabilities", "log,clock,can.read:120,can.write:220", "--memory-pages", "1", "--deadline-us", "200000",
                "--period-ms", "10", "--hardware", "ecu-a", "--out", pkg));
        if (sbom != null) {
            args.addAll(java.util.List.of("--sbom", sbom));
        }
        return cli.ota(args.toArray(String[]::new));
    }

    private void sign(String pkg) {
        cli.ok("supplier", "sign", "--package", pkg, "--key", dir.resolve("acme/acme.key.pem").toString(),
                "--cert", dir.resolve("acme/acme.cert.pem").toString());
    }

    @Test
    void theSbomTravelsInThePackageAndIntakeChecksIt() throws Exception {
        Path sbom = dir.resolve("healthy.cdx.json");
        Files.writeString(sbom, sbomOf("healthy_v1.wasm"));
        String pkg = dir.resolve("healthy.wotapkg").toString();
        assertEquals(0, pack(pkg, sbom.toString()).code());
        sign(pkg);

        String release = dir.resolve("release.wotapkg").toString();
        CliRoundTripTest.Result r = cli.ok("oem", "integrate", "--oem", oem, "--package", pkg, "--out", release,
                "--soak-ticks", "100");

        assertTrue(r.out().contains("  sbom ") && r.out().contains("1 components: libm@0.2.8"), r.out());
        assertEquals(Files.readString(sbom), new String(PackageFile.read(Path.of(release)).sbom().orElseThrow(),
                StandardCharsets.UTF_8));
    }

    @Test
    void packagingRefusesAnSbomOfAnotherModule() throws Exception {
        Path sbom = dir.resolve("other.cdx.json");
        Files.writeString(sbom, sbomOf("healthy_v2.wasm"));

        CliRoundTripTest.Result r = pack(dir.resolve("x.wotapkg").toString(), sbom.toString());

        assertEquals(4, r.code(), r.toString());
        assertTrue(r.err().contains("SBOM_OTHER_MODULE") && r.err().contains("not this module"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(Files.notExists(dir.resolve("x.wotapkg")));
    }

    @Test
    void intakeRefusesAPackageWithoutAnSbomWhenThePolicyRequiresOne() throws Exception {
        Files.writeString(dir.resolve("oem/policy.json"), "{\"format\":\"wasmota-oem-policy/1\",\"sbomRequired\":true}");
        String pkg = dir.resolve("bare.wotapkg").toString();
        assertEquals(0, pack(pkg, null).code());
        sign(pkg);

        CliRoundTripTest.Result r = cli.ota("oem", "integrate", "--oem", oem, "--package", pkg, "--out",
                dir.resolve("release.wotapkg").toString(), "--soak-ticks", "100");

        assertEquals(4, r.code(), r.toString());
        assertTrue(r.err().contains("MISSING_SBOM"), r.err());
    }
}

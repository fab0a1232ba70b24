package dev.wasmota.oem.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.Digests;
import dev.wasmota.oem.policy.OemPolicy;
import dev.wasmota.oem.sbom.SbomFailure;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.Packager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Intake's SBOM check: the SBOM describes this module, is CycloneDX 1.5+, and the OEM's policy and vulnerable list apply. */
class IntakeSbomTest {
    @TempDir
    Path dir;

    IntakeTestKit kit;
    byte[] wasm;

    @BeforeEach
    void setUp() {
        kit = new IntakeTestKit(dir);
        wasm = Fixtures.wasm("healthy_v1.wasm");
    }

    /** A CycloneDX 1.5 SBOM describing a component of SHA-256 {@code sha}, listing the package URLs given. */
    static byte[] cyclonedx(String spec, String sha, String... purls) {
        StringBuilder comps = new StringBuilder();
        for (String p : purls) {
            String nameVersion = p.substring(p.indexOf('/') + 1);
            String name = nameVersion.substring(0, nameVersion.indexOf('@'));
            String version = nameVersion.substring(nameVersion.indexOf('@') + 1);
            comps.append(comps.length() == 0 ? "" : ",").append("{\"type\":\"library\",\"bom-ref\":\"").append(p)
                    .append("\",\"name\":\"").append(name).append("\",\"version\":\"").append(version)
                    .append("\",\"purl\":\"").append(p).append("\"}");
        }
        return ("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"" + spec + "\",\"version\":1,"
                + "\"serialNumber\":\"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79\","
                + "\"metadata\":{\"component\":{\"type\":\"application\",\"bom-ref\":\"healthy\",\"name\":\"healthy\","
                + "\"version\":\"1.0.0\",\"hashes\":[{\"alg\":\"SHA-256\",\"content\":\"" + sha + "\"}]}},"
                + "\"components\":[" + comps + "]}").getBytes(StandardCharsets.UTF_8);
    }

    private ModulePackage withSbom(byte[] sbom) {
        return kit.fx.supplierSigned(Packager.build(wasm, IntakeTestKit.spec("healthy", IntakeTestKit.HEALTHY_CAPS, 1,
                IntakeTestKit.DEADLINE_US), sbom), kit.fx.acme);
    }

    private IntakeResult integrate(ModulePackage pkg) {
        return new IntakePipeline(kit.oem, kit.options(null).build()).integrate(pkg, Optional.empty());
    }

    private void policy(String json) throws IOException {
        Files.writeString(kit.fx.oemDir().resolve(OemPolicy.FILE), "{\"format\":\"" + OemPolicy.FORMAT + "\"," + json + "}");
    }

    @Test
    void acceptsAnSbomOfThisModuleRecordsItsComponentsAndKeepsItInTheRelease() {
        byte[] sbom = cyclonedx("1.5", Digests.sha256Hex(wasm), "pkg:cargo/heapless@0.8.0", "pkg:cargo/libm@0.2.8");

        IntakeResult r = integrate(withSbom(sbom));

        assertTrue(r.accepted(), () -> r.report().checks().toString());
        String detail = r.report().check(IntakeCheck.SBOM).detail();
        assertTrue(detail.contains("CycloneDX 1.5") && detail.contains("2 components: heapless@0.8.0, libm@0.2.8"), detail);
        assertEquals(Optional.of(new String(sbom, StandardCharsets.UTF_8)),
                r.countersigned().orElseThrow().sbom().map(b -> new String(b, StandardCharsets.UTF_8)));
    }

    @Test
    void refusesAnSbomDescribingAnotherModule() {
        byte[] other = cyclonedx("1.6", Digests.sha256Hex(Fixtures.wasm("healthy_v2.wasm")), "pkg:cargo/libm@0.2.8");

        IntakeResult r = integrate(withSbom(other));

        IntakeTestKit.assertRefused(r, IntakeCheck.SBOM, SbomFailure.SBOM_OTHER_MODULE, 4);
        assertTrue(r.rejection().orElseThrow().getMessage().contains("not module healthy@1.0.0"),
                r.rejection().orElseThrow().getMessage());
    }

    @Test
    void refusesAMalformedSbom() {
        for (byte[] bad : new byte[][] {
            "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\",\"version\":1}".getBytes(StandardCharsets.UTF_8),
            "{\"bomFormat\":\"SPDX\"}".getBytes(StandardCharsets.UTF_8),
            "not json".getBytes(StandardCharsets.UTF_8),
            ("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"components\":[{\"type\":\"spaceship\","
                    + "\"name\":\"x\"}]}").getBytes(StandardCharsets.UTF_8)}) {
            IntakeResult r = integrate(withSbom(bad));
            IntakeTestKit.assertRefused(r, IntakeCheck.SBOM, SbomFailure.MALFORMED_SBOM, 4);
        }
    }

    @Test
    void refusesAMissingSbomOnlyWhenThePolicyRequiresOne() throws IOException {
        assertTrue(integrate(kit.healthy()).accepted(), "no policy: an SBOM is not required");

        policy("\"sbomRequired\":true");
        IntakeResult r = integrate(kit.healthy());

        IntakeTestKit.assertRefused(r, IntakeCheck.SBOM, SbomFailure.MISSING_SBOM, 4);
    }

    @Test
    void theKnownVulnerableListRefusesOrFlagsItsMatchesByName() throws IOException {
        Files.writeString(kit.fx.oemDir().resolve("vulnerable.json"), "{\"format\":\"wasmota-vulnerable-components/1\","
                + "\"components\":[{\"purl\":\"pkg:cargo/heapless@0.7.0\",\"advisory\":\"RUSTSEC-2023-0084\",\"action\":\"refuse\"},"
                + "{\"name\":\"libm\",\"version\":\"0.2.1\",\"advisory\":\"internal-17\",\"action\":\"flag\"}]}");
        policy("\"vulnerableComponents\":\"vulnerable.json\"");
        String sha = Digests.sha256Hex(wasm);

        IntakeResult refused = integrate(withSbom(cyclonedx("1.5", sha, "pkg:cargo/heapless@0.7.0", "pkg:cargo/libm@0.2.8")));
        IntakeTestKit.assertRefused(refused, IntakeCheck.SBOM, SbomFailure.VULNERABLE_COMPONENT, 4);
        assertTrue(refused.rejection().orElseThrow().getMessage().contains("heapless@0.7.0 (RUSTSEC-2023-0084)"));

        IntakeResult flagged = integrate(withSbom(cyclonedx("1.5", sha, "pkg:cargo/heapless@0.8.0", "pkg:cargo/libm@0.2.1")));
        assertTrue(flagged.accepted(), () -> flagged.report().checks().toString());
        assertTrue(flagged.report().check(IntakeCheck.SBOM).detail().contains("flagged: libm@0.2.1 (internal-17)"),
                flagged.report().check(IntakeCheck.SBOM).detail());
    }
}

package dev.wasmota.oem.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.IssuedInstruction;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.TestDatabase;
import dev.wasmota.oem.campaign.VehicleLogHead;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.record.UpdateRecord;
import dev.wasmota.oem.release.Release;
import dev.wasmota.oem.rxswin.ReportedConfiguration;
import dev.wasmota.oem.rxswin.RxswinRegister;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.Packager;
import dev.wasmota.testkit.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A campaign's evidence bundle verifies offline, and stops verifying when any one byte of any file changes. */
class EvidenceBundleTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] SBOM = ("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"version\":1,\"components\":[]}")
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    Fixtures fx;
    MutableClock clock = new MutableClock(Fixtures.T0);
    CampaignWorkspace ws;
    Path bundle;

    @BeforeEach
    void setUp() throws IOException {
        fx = new Fixtures(dir);
        ws = CampaignWorkspace.open(fx.oemDir(), Optional.of(TestDatabase.H2.freshUrl()), clock, new java.util.Random(3), "test");
        ModulePackage pkg = fx.countersigned(fx.supplierSigned(Packager.build(Fixtures.wasm("healthy_v2.wasm"),
                Fixtures.spec("healthy", "2.0.0", 2, Fixtures.HEALTHY_CAPS), SBOM), fx.acme));
        Release release = ws.releases().publish(PackageFile.toBytes(pkg),
                Optional.of("{\"accepted\":true,\"checks\":[]}".getBytes(StandardCharsets.UTF_8)));
        for (String v : List.of("veh-1", "veh-2", "veh-3", "veh-4")) {
            ws.vehicles().register(v, "ecu-a");
        }
        RxswinRegister rx = ws.rxswin("test");
        rx.define("ecu-a", "R-A1", java.util.Map.of("healthy", "1.0.0"), "");
        rx.define("ecu-a", "R-A2", java.util.Map.of("healthy", "2.0.0"), "approval E1-2026-7");
        rx.state(ws.releases(), release.id(), Optional.of("R-A1"), Optional.of("R-A2"), "new brake filter", List.of());
        for (String v : List.of("veh-1", "veh-2", "veh-3", "veh-4")) {
            rx.take(new ReportedConfiguration(v, Optional.of(v.equals("veh-4") ? "R-A0" : "R-A1"), new java.util.TreeMap<>(
                    java.util.Map.of("healthy", new ReportedConfiguration.Module("1.0.0", "cd".repeat(32)))), "i-0",
                    clock.instant()));
        }
        Campaign k = ws.campaigns().create(CampaignSpec.builder(release.id(), Targets.vehicles(List.of("veh-1", "veh-2",
                "veh-3", "veh-4")), WavePlan.parse("100%")).id("c-evidence").build());
        try (InputStream in = getClass().getResourceAsStream("/dev/wasmota/oem/record/complete-record.json")) {
            ws.records("test").state(k.id(), UpdateRecord.parse(in.readAllBytes()));
        }
        ws.releaseRecords("test").state(ws.releases(), release.id(), UpdateRecord.parse(("{\"format\":\""
                + UpdateRecord.FORMAT + "\",\"purpose\":\"release-wide purpose\",\"executionMethod\":\"OTA\"}")
                .getBytes(StandardCharsets.UTF_8)));
        ws.notices("test").state(k.id(), Optional.empty(), java.time.Duration.ofMinutes(10),
                List.of("adaptive cruise control"));
        ws.campaigns().start(k.id());
        List<Action> actions = ws.campaigns().actions(k.id()).stream().filter(a -> a.issued().isPresent()).toList();
        long seq = 10;
        for (Action a : actions) {
            Action.Issued i = a.issued().orElseThrow();
            clock.advance(java.time.Duration.ofSeconds(5));
            ws.campaigns().reportStatus(a.vehicleId(), k.id(), i.instructionId(), i.nonce(),
                    a.vehicleId().equals("veh-3") ? Action.Status.FAILED : Action.Status.COMMITTED, "test",
                    Optional.of(new VehicleLogHead(a.vehicleId(), seq++, "ab".repeat(32))));
        }
        Action first = actions.get(0);
        ws.campaigns().notices().take(k.id(), new dev.wasmota.oem.record.CampaignNotices.Reported(first.vehicleId(),
                first.issued().orElseThrow().instructionId(), clock.instant().minusSeconds(20),
                "Update done: healthy 2.0.0 is active", clock.instant()));
        assertThrows(RejectedException.class, () -> ws.campaigns().reportStatus(first.vehicleId(), "c-evidence",
                first.issued().orElseThrow().instructionId(), "wrong-nonce", Action.Status.COMMITTED, "forged"));
        bundle = dir.resolve("bundle");
        new EvidenceExport(ws).export("c-evidence", bundle);
    }

    @AfterEach
    void tearDown() {
        ws.close();
    }

    @Test
    void anExportedBundleVerifiesOfflineAndHoldsTheEvidence() throws IOException {
        EvidenceBundle.Result r = EvidenceBundle.verify(bundle, Optional.empty());

        assertTrue(r.ok(), r.problems().toString());
        assertEquals("c-evidence", r.campaign());
        assertTrue(r.signer().contains("Campaign") || !r.signer().isEmpty(), r.signer());
        assertTrue(EvidenceBundle.verify(bundle, Optional.of(fx.oem.trustStore())).ok(), "against the OEM's own root too");
        JsonNode vehicles = JSON.readTree(bundle.resolve(EvidenceBundle.VEHICLES).toFile());
        assertEquals(10, vehicles.get("veh-1").get("anchors").get(0).get("auditSeq").asLong());
        assertEquals("FAILED", vehicles.get("veh-3").get("actions").get(0).get("status").asText());
        JsonNode security = JSON.readTree(bundle.resolve(EvidenceBundle.SECURITY).toFile());
        assertEquals(1, security.get("fleet").get("WRONG_NONCE").asInt(), security.toString());
        assertEquals(1, security.get("vehicles").get(first()).get("WRONG_NONCE").asInt(), security.toString());
        assertTrue(Files.readString(bundle.resolve(EvidenceBundle.RECORD)).contains("KBA-2026-0815"));
        assertTrue(Files.readString(bundle.resolve(EvidenceBundle.HTML)).contains("Update record (UN R156 7.1.2)"));
        assertEquals(new String(SBOM, StandardCharsets.UTF_8), Files.readString(bundle.resolve(EvidenceBundle.SBOM)));
        JsonNode rxswin = JSON.readTree(bundle.resolve(EvidenceBundle.RXSWIN).toFile());
        assertEquals("R-A2", rxswin.get("change").get("to").asText());
        assertEquals("new brake filter", rxswin.get("change").get("reason").asText());
        assertEquals("veh-4", rxswin.get("excluded").get(0).get("vehicle").asText());
        assertTrue(rxswin.get("excluded").get(0).get("reason").asText().startsWith("RXSWIN mismatch"), rxswin.toString());
        assertEquals("R-A1", rxswin.get("configurations").get("veh-1").get("rxswin").asText());
        assertEquals("EXCLUDED", vehicles.get("veh-4").get("actions").get(0).get("status").asText());
        assertEquals("Update done: healthy 2.0.0 is active",
                vehicles.get(first()).get("userNotice").get(0).get("outcome").asText());
        JsonNode records = JSON.readTree(bundle.resolve(EvidenceBundle.RECORD).toFile());
        assertEquals("release-wide purpose", records.get("releaseRecord").get("record").get("purpose").asText());
        assertEquals(records.get("record").get("purpose"), records.get("effective").get("purpose"), "the campaign's wins");
        JsonNode notice = records.get("userNotice");
        assertEquals(600, notice.get("expectedSeconds").asInt());
        assertEquals("adaptive cruise control", notice.get("unavailableFunctions").get(0).asText());
        String html = Files.readString(bundle.resolve(EvidenceBundle.HTML));
        assertTrue(html.contains("User information (UN R156 7.1.2)") && html.contains("Update done: healthy 2.0.0"), html);
        assertTrue(html.contains("Release update record (inherited by the campaign)") && html.contains("release-wide purpose"));
        assertTrue(html.contains("Software identification (UN R156 7.1.1, RXSWIN)") && html.contains("R-A1 -&gt; R-A2"));
    }

    @Test
    void aBundleWhoseEffectiveRecordIsNotTheCampaignsOverTheReleasesFailsEvenWhenSigned() throws IOException {
        Path f = bundle.resolve(EvidenceBundle.RECORD);
        com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(f.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) o.get("effective")).put("purpose", "something else");
        Files.write(f, JSON.writeValueAsBytes(o));
        resign();

        assertEquals(List.of("update-record.json: the effective record is not the campaign's record over the release's"),
                EvidenceBundle.verify(bundle, Optional.empty()).problems());
    }

    @Test
    void aBundleWhoseRxswinEvidenceContradictsItsVehiclesFailsEvenWhenSigned() throws IOException {
        Path f = bundle.resolve(EvidenceBundle.RXSWIN);
        com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(f.toFile());
        o.putArray("excluded");
        Files.write(f, JSON.writeValueAsBytes(o));
        resign();

        List<String> problems = EvidenceBundle.verify(bundle, Optional.empty()).problems();

        assertEquals(List.of("rxswin.json: the vehicles left out [] differ from those vehicles.json records as EXCLUDED"
                + " [veh-4] (or their reasons)"), problems);
    }

    /** Lists every file again in the manifest and signs it with the OEM's campaign key, as an export would. */
    private void resign() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode m = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(bundle.resolve(EvidenceBundle.MANIFEST).toFile());
        com.fasterxml.jackson.databind.node.ArrayNode list = m.putArray("files");
        for (String name : names(bundle).stream().sorted().toList()) {
            if (!name.equals(EvidenceBundle.MANIFEST) && !name.equals(EvidenceBundle.SIGNATURE)) {
                byte[] b = Files.readAllBytes(bundle.resolve(name));
                list.addObject().put("name", name).put("sha256", dev.wasmota.contract.Digests.sha256Hex(b)).put("bytes", b.length);
            }
        }
        byte[] bytes = dev.wasmota.contract.json.CanonicalJson.bytes(m);
        Files.write(bundle.resolve(EvidenceBundle.MANIFEST), bytes);
        Files.write(bundle.resolve(EvidenceBundle.SIGNATURE), EvidenceSignature.sign(bytes, ws.pki().campaign(),
                java.time.Instant.parse(m.get("createdAt").asText())));
    }

    private String first() {
        return ws.campaigns().actions("c-evidence").get(0).vehicleId();
    }

    @Test
    void failsToVerifyAfterAnyOneByteOfAnyFileChanges() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(bundle)) {
            files = s.sorted().toList();
        }
        assertEquals(13, files.size(), files.toString());
        int tried = 0;
        for (Path f : files) {
            byte[] original = Files.readAllBytes(f);
            for (int at : new int[] {0, original.length / 2, original.length - 1}) {
                byte[] changed = original.clone();
                changed[at] ^= 0x01;
                Files.write(f, changed);
                EvidenceBundle.Result r = verifyQuietly();
                assertFalse(r != null && r.ok(), f.getFileName() + " byte " + at + " changed, still verifies");
                tried++;
            }
            Files.write(f, original);
        }
        assertTrue(EvidenceBundle.verify(bundle, Optional.empty()).ok(), "restored");
        assertEquals(39, tried);
    }

    @Test
    void namesTheFileThatChanged() throws IOException {
        Path report = bundle.resolve(EvidenceBundle.INTAKE_REPORT);
        Files.writeString(report, Files.readString(report).replace("true", "fals"));

        List<String> problems = EvidenceBundle.verify(bundle, Optional.empty()).problems();

        assertEquals("intake-report.json differs from the manifest (SHA-256 or length)", problems.get(0), problems.toString());
        assertTrue(problems.contains("update-record.json: its V&V evidence is not intake-report.json (SHA-256)"));
    }

    @Test
    void namesAFileAddedToTheBundle() throws IOException {
        Files.writeString(bundle.resolve("extra.txt"), "x");

        assertEquals(List.of("extra.txt is in the bundle but not in the manifest"),
                EvidenceBundle.verify(bundle, Optional.empty()).problems());
    }

    @Test
    void refusesABundleSignedUnderAnotherRoot() throws IOException {
        dev.wasmota.oem.pki.OemPki other = dev.wasmota.oem.pki.OemPki.create(dir.resolve("other"), clock,
                new java.security.SecureRandom());

        EvidenceBundle.Result r = EvidenceBundle.verify(bundle, Optional.of(other.trustStore()));

        assertFalse(r.ok());
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("manifest.sig")), r.problems().toString());
    }

    /** The result, or null when the directory no longer reads as a bundle at all (also a failure to verify). */
    private EvidenceBundle.Result verifyQuietly() throws IOException {
        try {
            return EvidenceBundle.verify(bundle, Optional.empty());
        } catch (RejectedException e) {
            return null;
        }
    }

    static List<String> names(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        }
        return out;
    }
}

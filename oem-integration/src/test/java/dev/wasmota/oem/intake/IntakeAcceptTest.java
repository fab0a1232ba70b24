package dev.wasmota.oem.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.CompiledOutputDigest;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageVerifier;
import dev.wasmota.signing.pkg.ReleaseAttributes;
import dev.wasmota.signing.pkg.VerifiedPackage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Modules that pass every check come out countersigned, reported and recorded. */
class IntakeAcceptTest {
    @TempDir
    Path dir;
    IntakeTestKit kit;
    AuditLog audit;

    @BeforeEach
    void setUp() {
        kit = new IntakeTestKit(dir);
        audit = AuditLog.open(kit.auditFile, kit.fx.clock);
    }

    @AfterEach
    void tearDown() {
        audit.close();
    }

    @Test
    void countersignsHealthyModuleWithItsVectors() throws Exception {
        IntakeResult r = new IntakePipeline(kit.oem, kit.options(audit).build())
                .integrate(kit.healthy(), IntakeTestKit.vectors("healthy_v1.vectors.json"));
        assertAccepted(r, "healthy", "healthy_v1.wasm", IntakeTestKit.HEALTHY_CAPS);
        assertTrue(r.report().moduleLog().contains("healthy v1 init"), r.report().moduleLog().toString());
    }

    @Test
    void countersignsBrakeTempWithItsVectors() throws Exception {
        IntakeResult r = new IntakePipeline(kit.oem, kit.options(audit).build())
                .integrate(kit.brakeTemp(), IntakeTestKit.vectors("brake_temp.vectors.json"));
        assertAccepted(r, "brake-temp", "brake_temp.wasm", IntakeTestKit.BRAKE_CAPS);
        assertEquals(List.of(0x1a0, 0x1a1, 0x1a2, 0x1a3, 0x1b0), r.report().soak().orElseThrow().canIds());
    }

    private void assertAccepted(IntakeResult r, String moduleId, String wasmFile, String caps) throws Exception {
        assertTrue(r.accepted(), () -> r.rejection().map(Throwable::getMessage).orElse("") + " " + r.report().checks());
        ModulePackage release = r.release();
        VerifiedPackage v = new PackageVerifier(kit.fx.oem.trustStore(), kit.fx.clock).verify(release);
        assertEquals(moduleId, v.manifest().moduleId());
        String compiled = CompiledModule.compile(Fixtures.wasm(wasmFile), CapabilitySet.parse(caps)).compiledSha256();
        assertEquals(Optional.of(new ReleaseAttributes.CompiledOutput(CompiledOutputDigest.COMPILER, compiled)),
                ReleaseAttributes.compiledOutput(v));

        JsonNode json = new ObjectMapper().readTree(IntakeReportJson.bytes(r.report()));
        assertEquals(IntakeReportJson.FORMAT, json.get("format").asText());
        assertTrue(json.get("accepted").asBoolean());
        assertEquals(IntakeCheck.values().length, json.get("checks").size());
        for (JsonNode c : json.get("checks")) {
            assertEquals("ok", c.get("result").asText(), c.toString());
        }
        assertEquals(release.sha256(), json.get("releaseSha256").asText());
        assertEquals(moduleId, json.get("module").get("id").asText());
        assertEquals(r.report().module().orElseThrow().supplier(), json.get("module").get("supplier").asText());
        assertEquals(compiled, json.get("compiled").get("sha256").asText());
        JsonNode timing = json.get("timing");
        assertTrue(timing.get("worstUs").asDouble() <= timing.get("budgetUs").asDouble(), timing.toString());
        assertEquals(50, timing.get("marginPercent").asInt());
        assertTrue(json.get("vectors").size() > 0);
        for (JsonNode c : json.get("vectors")) {
            assertTrue(c.get("passed").asBoolean(), c.toString());
        }

        kit.assertLogVerifies();
        List<AuditRecord> records = kit.records();
        assertEquals(List.of(AuditEvent.INTAKE_ACCEPTED, AuditEvent.MODULE_OWNER_RECORDED, AuditEvent.RELEASE_COUNTERSIGNED),
                kit.events(), "the module's first release records its owner");
        AuditRecord accepted = records.get(0);
        assertEquals(moduleId, accepted.moduleId());
        assertEquals("ok", accepted.verifications().get("soak"));
        assertEquals(moduleId, records.get(1).moduleId());
        assertTrue(records.get(2).detail().contains(release.sha256()), records.get(2).detail());
        assertTrue(records.get(2).detail().contains(compiled), records.get(2).detail());
    }
}

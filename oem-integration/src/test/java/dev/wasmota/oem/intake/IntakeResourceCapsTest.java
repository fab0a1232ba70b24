package dev.wasmota.oem.intake;

import static dev.wasmota.oem.intake.IntakeTestKit.DEADLINE_US;
import static dev.wasmota.oem.intake.IntakeTestKit.assertRefused;
import static dev.wasmota.oem.intake.IntakeTestKit.json;
import static dev.wasmota.oem.intake.IntakeTestKit.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditLog;
import dev.wasmota.ecu.sandbox.FaultKind;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.signing.manifest.ResourceCaps;
import dev.wasmota.signing.pkg.ModulePackage;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Intake holds a module to the vehicle's caps: what it declares within its manifest's caps, those
 * within the vehicle hosts' ceilings, both checked before the module is parsed or instantiated;
 * every sandbox of the intake (warm-up, vectors, soak) starts from the module as signed.
 */
class IntakeResourceCapsTest {
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

    private IntakeResult integrate(ModulePackage pkg, Optional<byte[]> vectors, int soakTicks) {
        return new IntakePipeline(kit.oem, kit.options(audit).soakTicks(soakTicks).build()).integrate(pkg, vectors);
    }

    @Test
    void refusesTablesDeclaredBeyondTheManifestsCapsBeforeInstantiatingThem() {
        IntakeResult r = integrate(kit.handBuilt("table_bomb_declared.wasm", new ResourceCaps(10, 65_536, 0, 0, 0, 0,
                0)), Optional.empty(), 300);

        assertRefused(r, IntakeCheck.WASM, PolicyFailure.RESOURCE_LIMIT, 4);
        assertEquals("the module declares more than its manifest's caps allow: 100,000,000 table elements at start"
                + " (cap 65,536)", r.rejection().orElseThrow().getMessage());
        assertEquals(CheckResult.Status.NOT_RUN, r.report().check(IntakeCheck.COMPILE).status());
    }

    @Test
    void refusesCapsAboveTheVehicleHostsCeilings() {
        IntakeResult r = integrate(kit.handBuilt("table_bomb_declared.wasm", new ResourceCaps(10, 10_000_000, 0, 0,
                0, 0, 0)), Optional.empty(), 300);

        assertRefused(r, IntakeCheck.WASM, PolicyFailure.RESOURCE_LIMIT, 4);
        assertEquals("the manifest's caps exceed the vehicle hosts' ceilings: 10,000,000 table elements above 65,536",
                r.rejection().orElseThrow().getMessage());
    }

    @Test
    void refusesAHundredTables() {
        IntakeResult r = integrate(kit.handBuilt("table_bomb_100.wasm", new ResourceCaps(100, 100, 4, 0, 0, 0, 0)),
                Optional.empty(), 300);

        assertRefused(r, IntakeCheck.WASM, PolicyFailure.RESOURCE_LIMIT, 4);
        assertTrue(r.rejection().orElseThrow().getMessage().contains("100 tables above 16"), r.rejection().toString());
    }

    @Test
    void refusesAGlobalsBomb() {
        IntakeResult r = integrate(kit.handBuilt("globals_bomb.wasm", new ResourceCaps(0, 0, 4_096, 0, 0, 0, 0)),
                Optional.empty(), 300);

        assertRefused(r, IntakeCheck.WASM, PolicyFailure.RESOURCE_LIMIT, 4);
        assertTrue(r.rejection().orElseThrow().getMessage().contains("20,000 globals (cap 4,096)"),
                r.rejection().toString());
    }

    @Test
    void acceptsSixteenTablesWhoseGrowsAreRefusedAtTheCapDuringTheSoak() {
        ModulePackage bomb = kit.submitted("table_bomb_16.wasm", spec("bomb", "", 1, DEADLINE_US));

        IntakeResult r = integrate(bomb, Optional.empty(), 3_010);

        assertTrue(r.accepted(), () -> r.report().checks().toString());
        String soak = r.report().check(IntakeCheck.SOAK).detail();
        assertTrue(soak.contains("176 table grows refused at the cap of 16 elements"), soak);
        assertTrue(r.report().check(IntakeCheck.COMPILE).detail().contains("1 pages and 16 table elements"),
                r.report().check(IntakeCheck.COMPILE).detail());
        assertTrue(r.report().check(IntakeCheck.WASM).detail().contains("16 tables of 16 elements in all"),
                r.report().check(IntakeCheck.WASM).detail());
    }

    @Test
    void vectorsAfterTheWarmUpSeeTheModuleAsSigned() {
        ModulePackage leak = kit.submitted("state_leak.wasm", spec("leak", "", 4, DEADLINE_US).withTableElements(8));
        Optional<byte[]> vectors = json("[{\"export\":\"grow_table\",\"expect\":[0]},"
                + "{\"export\":\"table_size\",\"expect\":[1]},{\"export\":\"bump_global\",\"expect\":[1]},"
                + "{\"export\":\"memory_pages\",\"expect\":[1]},{\"export\":\"grow_memory\",\"expect\":[1]},"
                + "{\"export\":\"read_data\",\"expect\":[42]},{\"export\":\"drop_data\"},"
                + "{\"export\":\"call_elem\",\"expect\":[42]},{\"export\":\"drop_elem\"}]");

        IntakeResult r = integrate(leak, vectors, 300);

        assertEquals(CheckResult.Status.OK, r.report().check(IntakeCheck.VECTORS).status(),
                () -> "the warm-up ran the same vectors and 3 ticks first: " + r.report().checks());
        assertRefused(r, IntakeCheck.SOAK, FaultKind.TRAP, 5);
        assertTrue(r.rejection().orElseThrow().getMessage().startsWith("tick 4"), r.rejection().toString());
    }
}

package dev.wasmota.oem.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.ecu.AcceptanceFailure;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.ecu.InstallContext;
import dev.wasmota.ecu.InstallResult;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.signing.pkg.AcceptanceVectors;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageSigner;
import dev.wasmota.signing.pkg.PackageVerifier;
import dev.wasmota.signing.pkg.ReleaseAttributes;
import dev.wasmota.signing.pkg.VerifiedPackage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intake countersigns a prefix of the supplier's vectors with the results its sandbox saw; the
 * vehicle runs them on its own compiled code before it commits. The same statements with one
 * expectation changed (signed with the OEM's real release key) make the vehicle refuse, exit 5.
 */
class AcceptanceOnTheVehicleTest {
    @TempDir
    Path dir;
    IntakeTestKit kit;
    ModulePackage release;

    @BeforeEach
    void setUp() {
        kit = new IntakeTestKit(dir.resolve("pki"));
        release = new IntakePipeline(kit.oem, kit.options(null).build())
                .integrate(kit.healthy(), IntakeTestKit.vectors("healthy_v1.vectors.json")).release();
    }

    @Test
    void theCountersignatureCarriesTheVectorsAndTheVehicleRunsThemBeforeItCommits() {
        AcceptanceVectors carried = carried(release);
        assertEquals(10, carried.cases().size(), "the whole healthy_v1 file fits: 10 cases");
        assertEquals(109, carried.calls());
        assertEquals(List.of(42L), carried.cases().get(1).expect().orElseThrow(), "scale(21) = 42, as the intake saw");

        try (EcuHost ecu = vehicle()) {
            InstallResult r = ecu.install(PackageFile.toBytes(release), InstallContext.manual());

            assertEquals(InstallResult.Outcome.COMMITTED, r.outcome());
            assertTrue(dev.wasmota.audit.AuditLog.read(ecu.auditFile()).stream().anyMatch(a -> a.event() == AuditEvent.INSTALL_STAGED
                    && a.detail().contains("10 acceptance cases (109 calls) passed")));
        }
    }

    @Test
    void aChangedExpectationInTheCountersignatureRefusesTheInstallWithExitFive() {
        AcceptanceVectors carried = carried(release);
        List<AcceptanceVectors.Case> changed = new ArrayList<>(carried.cases());
        AcceptanceVectors.Case scale = changed.get(1);
        changed.set(1, new AcceptanceVectors.Case(scale.index(), scale.name(), scale.export(), scale.args(),
                Optional.of(List.of(43L)), scale.repeat(), scale.can()));
        ReleaseAttributes.CompiledOutput stated = ReleaseAttributes.compiledOutput(verified(release)).orElseThrow();
        ModulePackage forged = new PackageSigner(kit.fx.clock).countersign(kit.healthy(), kit.fx.oem.release().key(),
                kit.fx.oem.release().cert(), new AcceptanceVectors(changed).addTo(ReleaseAttributes.of(stated)));

        try (EcuHost ecu = vehicle()) {
            RejectedException e = assertThrows(RejectedException.class,
                    () -> ecu.install(PackageFile.toBytes(forged), InstallContext.manual()));

            assertEquals(AcceptanceFailure.ACCEPTANCE_VECTOR_FAILED, e.reason(), e.getMessage());
            assertEquals(5, e.exitCode().code());
            assertTrue(e.getMessage().contains("acceptance case 1 (scale)") && e.getMessage()
                    .contains("expected [43], got [42]"), e.getMessage());
            assertTrue(ecu.modules().isEmpty(), "nothing installed");
        }
    }

    private AcceptanceVectors carried(ModulePackage pkg) {
        return AcceptanceVectors.of(verified(pkg)).orElseThrow();
    }

    private VerifiedPackage verified(ModulePackage pkg) {
        return new PackageVerifier(kit.fx.oem.trustStore(), kit.fx.clock).verify(pkg);
    }

    private EcuHost vehicle() {
        HostConfig config = HostConfig.builder(dir.resolve("ecu"), kit.fx.oem.trustStore())
                .identity(new HostIdentity("ecu-a", "vin-1")).clock(kit.fx.clock)
                .environment(HostEnvironment.simulated().withLog((id, line) -> { })).build();
        return EcuHost.open(config, new PrintStream(new ByteArrayOutputStream()));
    }
}

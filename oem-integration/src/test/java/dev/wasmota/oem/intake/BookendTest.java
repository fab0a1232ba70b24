package dev.wasmota.oem.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.ecu.InstallContext;
import dev.wasmota.ecu.InstallResult;
import dev.wasmota.ecu.UpdateFailure;
import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.CompiledOutputDigest;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageSigner;
import dev.wasmota.signing.pkg.ReleaseAttributes;
import dev.wasmota.signing.pkg.ReleaseAttributes.CompiledOutput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Bookended" AOT: the OEM states in its countersignature the digest of what the vehicle's
 * compiler made of the module; the vehicle compiles the module itself and installs only if it
 * gets the same digest. A release from this intake installs; the same supplier package
 * countersigned with another digest (another compiler input, or a tampered compiler on either
 * side) is refused by the vehicle with exit 3.
 */
class BookendTest {
    @TempDir
    Path dir;
    IntakeTestKit kit;
    ModulePackage submitted;

    @BeforeEach
    void setUp() {
        kit = new IntakeTestKit(dir.resolve("pki"));
        submitted = kit.healthy();
    }

    @Test
    void releaseFromTheIntakeInstallsOnTheVehicle() {
        ModulePackage release = new IntakePipeline(kit.oem, kit.options(null).build())
                .integrate(submitted, Optional.empty()).release();
        try (EcuHost ecu = vehicle()) {
            InstallResult r = ecu.install(PackageFile.toBytes(release), InstallContext.manual());
            assertEquals(InstallResult.Outcome.COMMITTED, r.outcome());
        }
    }

    @Test
    void vehicleRefusesACountersignedDigestOfAnotherCompilerInput() {
        String other = CompiledModule.compile(Fixtures.wasm("healthy_v2.wasm"),
                CapabilitySet.parse(IntakeTestKit.HEALTHY_CAPS)).compiledSha256();
        assertRefusedByVehicle(countersignedWith(new CompiledOutput(CompiledOutputDigest.COMPILER, other)));
    }

    @Test
    void vehicleRefusesATamperedDigest() {
        String ours = CompiledModule.compile(Fixtures.wasm("healthy_v1.wasm"),
                CapabilitySet.parse(IntakeTestKit.HEALTHY_CAPS)).compiledSha256();
        String flipped = (ours.charAt(0) == '0' ? "1" : "0") + ours.substring(1);
        assertRefusedByVehicle(countersignedWith(new CompiledOutput(CompiledOutputDigest.COMPILER, flipped)));
    }

    @Test
    void vehicleRefusesTheRightDigestFromAnotherCompiler() {
        String ours = CompiledModule.compile(Fixtures.wasm("healthy_v1.wasm"),
                CapabilitySet.parse(IntakeTestKit.HEALTHY_CAPS)).compiledSha256();
        assertRefusedByVehicle(countersignedWith(new CompiledOutput("chicory-compiler/9.9.9", ours)));
    }

    private ModulePackage countersignedWith(CompiledOutput stated) {
        return new PackageSigner(kit.fx.clock).countersign(submitted, kit.fx.oem.release().key(),
                kit.fx.oem.release().cert(), ReleaseAttributes.of(stated));
    }

    private void assertRefusedByVehicle(ModulePackage release) {
        try (EcuHost ecu = vehicle()) {
            RejectedException e = assertThrows(RejectedException.class,
                    () -> ecu.install(PackageFile.toBytes(release), InstallContext.manual()));
            assertEquals(UpdateFailure.COMPILED_OUTPUT_MISMATCH, e.reason(), e.getMessage());
            assertEquals(3, e.exitCode().code());
            assertTrue(e.getMessage().contains("this ECU's"), e.getMessage());
        }
    }

    private EcuHost vehicle() {
        HostConfig config = HostConfig.builder(dir.resolve("ecu"), kit.fx.oem.trustStore())
                .identity(new HostIdentity("ecu-a", "vin-1")).clock(kit.fx.clock)
                .environment(HostEnvironment.simulated().withLog((id, line) -> { })).build();
        return EcuHost.open(config, new PrintStream(new ByteArrayOutputStream()));
    }
}

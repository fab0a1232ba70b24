package dev.wasmota.oem.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.ecu.InstallContext;
import dev.wasmota.ecu.InstallResult;
import dev.wasmota.ecu.ProvisionedState;
import dev.wasmota.ecu.sandbox.HostEnvironment;
import dev.wasmota.oem.campaign.CampaignFailure;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.signing.pki.CredentialCheck;
import dev.wasmota.signing.pki.CredentialDir;
import dev.wasmota.signing.pki.Revocation;
import dev.wasmota.signing.pki.TrustStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VehicleProvisioningTest {
    @TempDir
    Path dir;
    CampaignKit kit;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir);
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    private VehicleProvisioning.Provisioned provision(String id, String hardware, Path out) throws Exception {
        return VehicleProvisioning.provision(kit.oem, kit.service.vehicles(), id, hardware, out);
    }

    @Test
    void writesWhatAnEmptyVehicleNeedsAndRegistersIt() throws Exception {
        Path state = dir.resolve("veh-1");
        provision("veh-1", "ecu-a", state);

        assertEquals(Optional.of(new HostIdentity("ecu-a", "veh-1")), HostIdentity.load(state));
        TrustStore anchors = TrustStore.load(ProvisionedState.trustDir(state));
        assertEquals(kit.fx.oem.root().cert(), anchors.root());
        CredentialDir credential = CredentialDir.read(ProvisionedState.credentialDir(state));
        CredentialCheck.tlsClient(ClientKind.VEHICLE, "veh-1").check(credential, anchors, kit.fx.clock.instant(), "veh-1");
        assertEquals("ecu-a", kit.service.vehicles().find("veh-1").orElseThrow().hardwareId());

        HostConfig config = HostConfig.builder(state, anchors).identity(HostIdentity.load(state).orElseThrow())
                .clock(kit.fx.clock).environment(HostEnvironment.simulated().withLog((module, line) -> { })).build();
        try (EcuHost ecu = EcuHost.open(config, new PrintStream(new ByteArrayOutputStream()))) {
            assertTrue(ecu.modules().isEmpty());
            InstallResult r = ecu.install(kit.releases.packageBytes(kit.v1), InstallContext.manual());
            assertEquals(InstallResult.Outcome.COMMITTED, r.outcome());
        }
    }

    @Test
    void carriesTheTrustUpdateInForce() throws Exception {
        kit.oem.revoke(List.of(new Revocation(Revocation.keySha256(kit.fx.acme.chain().get(0)), "leak")), List.of());
        Path state = dir.resolve("veh-1");
        provision("veh-1", "ecu-a", state);
        assertEquals(1, TrustStore.load(ProvisionedState.trustDir(state)).sequence());
    }

    @Test
    void refusesAVehicleRegisteredWithOtherHardwareAndWritesNothing() throws Exception {
        kit.service.vehicles().register("veh-1", "ecu-b");
        RejectedException e = assertThrows(RejectedException.class, () -> provision("veh-1", "ecu-a", dir.resolve("veh-1")));
        assertEquals(CampaignFailure.VEHICLE_CONFLICT, e.reason());
        assertFalse(Files.exists(dir.resolve("veh-1")));
    }

    @Test
    void refusesADirectoryThatHoldsAnythingBeforeRegistering() throws Exception {
        Files.createDirectories(dir.resolve("veh-1"));
        Files.writeString(dir.resolve("veh-1").resolve("notes.txt"), "mine");
        assertThrows(FileAlreadyExistsException.class, () -> provision("veh-1", "ecu-a", dir.resolve("veh-1")));
        assertTrue(kit.service.vehicles().find("veh-1").isEmpty());
    }

    @Test
    void provisioningAgainIntoANewDirectoryIssuesANewCredentialForTheSameRegistration() throws Exception {
        var first = provision("veh-1", "ecu-a", dir.resolve("a"));
        var second = provision("veh-1", "ecu-a", dir.resolve("b"));
        assertEquals(first.vehicle(), second.vehicle());
        assertFalse(first.credential().leaf().equals(second.credential().leaf()));
    }
}

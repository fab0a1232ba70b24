package dev.wasmota.oem.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.oem.release.ReleaseFailure;
import dev.wasmota.oem.release.ReleaseId;
import dev.wasmota.contract.error.RejectedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** What a campaign may be created for, and each way a definition is refused. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class CampaignCreateTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    CampaignKit kit;
    List<String> vehicles;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir, database);
        vehicles = kit.vehicles(3);
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    private static RejectedException refused(Enum<?> reason, Executable step) {
        RejectedException e = assertThrows(RejectedException.class, step);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    @Test
    void targetsEveryVehicleWithAHardwareIdInIdOrder() {
        kit.service.vehicles().register("veh-0", "ecu-a");
        kit.service.vehicles().register("other", "ecu-b");

        Campaign k = kit.service.create(CampaignSpec.builder(kit.v2.id(), Targets.hardware("ecu-a"),
                WavePlan.parse("100%")).id("fleet-a").build());

        assertEquals("fleet-a", k.id());
        assertEquals(List.of("veh-0", "veh-1", "veh-2", "veh-3"), kit.service.status(k.id()).waves().get(0).wave().members());
    }

    @Test
    void refusesUnregisteredVehicle() {
        RejectedException e = refused(CampaignFailure.UNKNOWN_VEHICLE, () -> kit.service.create(
                kit.spec(kit.v2, List.of("veh-1", "ghost"), "100%").build()));

        assertTrue(e.getMessage().contains("ghost"), e.getMessage());
    }

    @Test
    void refusesVehicleWhoseHardwareTheReleaseDoesNotRunOn() {
        kit.service.vehicles().register("veh-b", "ecu-b");

        refused(CampaignFailure.HARDWARE_MISMATCH, () -> kit.service.create(kit.spec(kit.v2, List.of("veh-1", "veh-b"),
                "100%").build()));
    }

    @Test
    void refusesVehicleInAnUnfinishedCampaign() {
        kit.service.create(kit.spec(kit.v2, List.of("veh-1"), "100%").build());

        refused(CampaignFailure.VEHICLE_BUSY, () -> kit.service.create(kit.spec(kit.v1, vehicles, "100%").build()));
    }

    @Test
    void refusesWavesThatDoNotReachEveryTarget() {
        RejectedException e = refused(CampaignFailure.INVALID_CAMPAIGN, () -> kit.service.create(
                kit.spec(kit.v2, vehicles, "1,2").build()));

        assertTrue(e.getMessage().contains("reach 2 of the 3"), e.getMessage());
    }

    @Test
    void refusesSpecWithEveryProblemNamed() {
        RejectedException e = refused(CampaignFailure.INVALID_CAMPAIGN, () -> kit.service.create(
                kit.spec(kit.v2, vehicles, "100%").advanceAt(0).stopAt(101).validity(Duration.ofMillis(500))
                        .id("Bad Id").build()));

        assertEquals(4, e.getMessage().split("; ").length, e.getMessage());
    }

    @Test
    void refusesUnknownRelease() {
        refused(ReleaseFailure.UNKNOWN_RELEASE, () -> kit.service.create(CampaignSpec.builder(
                new ReleaseId("healthy", "9.0.0"), Targets.vehicles(vehicles), WavePlan.parse("100%")).build()));
    }

    @Test
    void refusesDuplicateCampaignId() {
        kit.service.create(kit.spec(kit.v2, List.of("veh-1"), "100%").id("c-one").build());

        refused(CampaignFailure.DUPLICATE_CAMPAIGN, () -> kit.service.create(kit.spec(kit.v2, List.of("veh-2"), "100%")
                .id("c-one").build()));
    }

    @Test
    void refusesVehicleReregisteredWithOtherHardware() {
        assertEquals(kit.service.vehicles().find("veh-1"), java.util.Optional.of(kit.service.vehicles().register("veh-1", "ecu-a")));

        refused(CampaignFailure.VEHICLE_CONFLICT, () -> kit.service.vehicles().register("veh-1", "ecu-b"));
    }
}

package dev.wasmota.oem.rxswin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignFailure;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.campaign.CampaignService;
import dev.wasmota.oem.campaign.CampaignStatus;
import dev.wasmota.oem.campaign.IssuedInstruction;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign's start checks each target vehicle's last signed configuration against the release's
 * RXSWIN change and module requirements (UN R156 7.1.1, 7.2): the incompatible ones are left out,
 * each with its reason; the campaign proceeds with the others.
 */
class CompatibilityTest {
    static final String SHA = "ab".repeat(32);

    @TempDir
    Path dir;

    CampaignKit kit;
    RxswinRegister register;
    CampaignService service;

    /** The database the test runs on. */
    dev.wasmota.oem.campaign.TestDatabase database() {
        return dev.wasmota.oem.campaign.TestDatabase.H2;
    }

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir, database());
        kit.vehicles(5);
        register = new RxswinRegister(kit.db, kit.audit, kit.clock, "test");
        service = CampaignService.builder(kit.db, kit.releases, kit.fx.oem.campaign(), kit.outbox, kit.audit)
                .clock(kit.clock).random(new Random(3)).actor("test").targetCheck(new Compatibility()).build();
        register.define("ecu-a", "R-A1", Map.of("healthy", "1.0.0", "can-gw", "2.1.0"), "approved 2026-11");
        register.define("ecu-a", "R-A2", Map.of("healthy", "2.0.0", "can-gw", "2.1.0"), "");
        register.state(kit.releases, kit.v2.id(), Optional.of("R-A1"), Optional.of("R-A2"), "brake temperature filter",
                List.of(Requirement.parse("can-gw>=2.0.0")));
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    private void reports(String vehicle, String rxswin, String canGw) {
        TreeMap<String, ReportedConfiguration.Module> modules = new TreeMap<>();
        modules.put("healthy", new ReportedConfiguration.Module("1.0.0", SHA));
        modules.put("can-gw", new ReportedConfiguration.Module(canGw, SHA));
        register.take(new ReportedConfiguration(vehicle, Optional.ofNullable(rxswin), modules, "i-0", kit.clock.instant()));
    }

    @Test
    void incompatibleVehiclesAreLeftOutWithTheirReasonAndTheOthersAreInstructed() {
        reports("veh-1", "R-A1", "2.1.0");
        reports("veh-2", "R-A0", "2.1.0");
        reports("veh-3", null, "2.1.0");
        reports("veh-4", "R-A1", "1.9.0");
        Campaign k = service.create(kit.spec(kit.v2, List.of("veh-1", "veh-2", "veh-3", "veh-4", "veh-5"), "100%").build());

        Campaign started = service.start(k.id());

        assertEquals(Campaign.State.RUNNING, started.state());
        assertEquals(List.of("veh-1", "veh-3"), kit.outbox.all().stream().map(i -> i.instruction().vehicleId()).toList(),
                "veh-1 reports R-A1; veh-3 reports none, and its modules are R-A1's by the register");
        Map<String, String> excluded = service.actions(k.id()).stream().filter(a -> a.status() == Action.Status.EXCLUDED)
                .collect(Collectors.toMap(Action::vehicleId, a -> a.detail().orElseThrow(), (a, b) -> a, TreeMap::new));
        assertEquals(List.of("veh-2", "veh-4", "veh-5"), List.copyOf(excluded.keySet()));
        assertTrue(excluded.get("veh-2").contains("RXSWIN mismatch: the vehicle reports R-A0; the release changes R-A1 -> R-A2"),
                excluded.get("veh-2"));
        assertTrue(excluded.get("veh-4").contains("requires can-gw>=2.0.0; the vehicle runs can-gw 1.9.0"), excluded.get("veh-4"));
        assertTrue(excluded.get("veh-5").contains("no signed configuration reported yet"), excluded.get("veh-5"));
        List<AuditRecord> audit = kit.auditRecords().stream()
                .filter(r -> r.event() == AuditEvent.CAMPAIGN_VEHICLE_EXCLUDED).toList();
        assertEquals(3, audit.size());
        assertTrue(audit.get(0).detail().startsWith("vehicle veh-2: RXSWIN mismatch"), audit.get(0).detail());

        CampaignStatus s = service.status(k.id());
        assertEquals(2, s.total().members(), "the excluded are not counted in the wave's rates");
        for (IssuedInstruction i : kit.outbox.all()) {
            service.reportStatus(i.instruction().vehicleId(), k.id(), i.instruction().instructionId(), i.instruction().nonce(),
                    Action.Status.COMMITTED, "test");
        }
        assertEquals(Campaign.State.COMPLETED, service.get(k.id()).state(), "two of two committed");
    }

    @Test
    void aCampaignNoVehicleOfWhichFitsDoesNotStartAndNamesEachReason() {
        reports("veh-1", "R-A0", "2.1.0");
        Campaign k = service.create(kit.spec(kit.v2, List.of("veh-1", "veh-5"), "100%").build());

        RejectedException e = assertThrows(RejectedException.class, () -> service.start(k.id()));

        assertEquals(CampaignFailure.NO_COMPATIBLE_VEHICLE, e.reason());
        assertEquals(ExitCode.POLICY, e.exitCode());
        assertTrue(e.getMessage().contains("veh-1 (RXSWIN mismatch") && e.getMessage().contains("veh-5 (no signed"),
                e.getMessage());
        assertEquals(Campaign.State.CREATED, service.get(k.id()).state());
        assertTrue(kit.outbox.all().isEmpty());
    }

    @Test
    void aWaveWhoseEveryVehicleWasLeftOutPassesAtOnce() {
        reports("veh-1", "R-A0", "2.1.0");
        reports("veh-2", "R-A1", "2.1.0");
        Campaign k = service.create(kit.spec(kit.v2, List.of("veh-1", "veh-2"), "1,100%").build());

        Campaign started = service.start(k.id());

        assertEquals(2, started.currentWave(), "wave 1 held only veh-1, left out");
        assertEquals(List.of("veh-2"), kit.outbox.all().stream().map(i -> i.instruction().vehicleId()).toList());
    }

    @Test
    void aReleaseThatChangesNoRxswinStillChecksItsRequirements() {
        register.state(kit.releases, kit.v2.id(), Optional.empty(), Optional.empty(), "calibration only, no approval impact",
                List.of(Requirement.parse("can-gw>=2.1.0")));
        reports("veh-1", "R-A0", "2.1.0");
        reports("veh-2", "R-A1", "2.0.9");
        Campaign k = service.create(kit.spec(kit.v2, List.of("veh-1", "veh-2"), "100%").build());

        service.start(k.id());

        assertEquals(List.of("veh-1"), kit.outbox.all().stream().map(i -> i.instruction().vehicleId()).toList());
    }

    @Test
    void aReleaseWithoutAStatementIsNotChecked() {
        Campaign k = service.create(kit.spec(kit.v1, List.of("veh-5"), "100%").build());

        assertEquals(Campaign.State.RUNNING, service.start(k.id()).state());
        assertEquals(1, kit.outbox.all().size());
    }

    @Test
    void anOlderReportDoesNotReplaceANewerConfiguration() {
        reports("veh-1", "R-A1", "2.1.0");
        TreeMap<String, ReportedConfiguration.Module> none = new TreeMap<>();
        register.take(new ReportedConfiguration("veh-1", Optional.of("R-A0"), none, "i-old",
                kit.clock.instant().minusSeconds(60)));

        assertEquals(Optional.of("R-A1"), register.configuration("veh-1").orElseThrow().rxswin());
    }

    @Test
    void theRegisterRefusesAChangeOfMeaningAndAStatementThatContradictsIt() {
        RejectedException conflict = assertThrows(RejectedException.class,
                () -> register.define("ecu-a", "R-A1", Map.of("healthy", "1.0.1"), ""));
        assertEquals(RxswinFailure.RXSWIN_CONFLICT, conflict.reason());
        assertEquals(register.define("ecu-a", "R-A1", Map.of("can-gw", "2.1.0", "healthy", "1.0.0"), "again").definedAt(),
                register.list(Optional.of("ecu-a")).get(0).definedAt(), "the same definition again changes nothing");

        RejectedException mismatch = assertThrows(RejectedException.class, () -> register.state(kit.releases, kit.v1.id(),
                Optional.of("R-A1"), Optional.of("R-A2"), "wrong", List.of()));
        assertEquals(RxswinFailure.RXSWIN_MISMATCH, mismatch.reason());
        assertTrue(mismatch.getMessage().contains("not of release healthy@1.0.0"), mismatch.getMessage());

        RejectedException unknown = assertThrows(RejectedException.class, () -> register.state(kit.releases, kit.v2.id(),
                Optional.of("R-A1"), Optional.of("R-X9"), "x", List.of()));
        assertEquals(RxswinFailure.UNKNOWN_RXSWIN, unknown.reason());

        RejectedException noReason = assertThrows(RejectedException.class, () -> register.state(kit.releases, kit.v2.id(),
                Optional.empty(), Optional.empty(), "  ", List.of()));
        assertEquals(RxswinFailure.MALFORMED_RXSWIN, noReason.reason());
        assertTrue(noReason.getMessage().contains("the reason is required"), noReason.getMessage());
        assertEquals("R-A1 -> R-A2", register.change(kit.v2.id()).orElseThrow().summary(), "refusals changed nothing");
    }

    @Test
    void requirementsCompareSemanticVersions() {
        Requirement r = Requirement.parse("can-gw>=2.10.0");
        assertTrue(r.unmetBy(Optional.of("2.9.9")).isPresent());
        assertTrue(r.unmetBy(Optional.of("2.10.0-rc.1")).isPresent(), "a pre-release is below its release");
        assertTrue(r.unmetBy(Optional.of("2.10.0+build.7")).isEmpty());
        assertTrue(r.unmetBy(Optional.of("10.0.0")).isEmpty());
        assertEquals(RxswinFailure.MALFORMED_RXSWIN, assertThrows(RejectedException.class,
                () -> Requirement.parse("can-gw=2.0.0")).reason());
    }
}

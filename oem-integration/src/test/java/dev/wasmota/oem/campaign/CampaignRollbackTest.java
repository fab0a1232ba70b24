package dev.wasmota.oem.campaign;

import static dev.wasmota.oem.campaign.Action.Status.COMMITTED;
import static dev.wasmota.oem.campaign.Action.Status.FAILED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.release.ReleaseFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A campaign-wide rollback sends exactly the vehicles that committed back to the previous release. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class CampaignRollbackTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    CampaignKit kit;
    List<String> vehicles;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir, database);
        vehicles = kit.vehicles(5);
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    @Test
    void instructsExactlyTheCommittedVehiclesToInstallThePreviousRelease() {
        Campaign k = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "100%").advanceAt(100)
                .stopAt(60).build()).id());
        List<IssuedInstruction> wave = kit.outbox.of(k.id());
        kit.answer(wave.get(0), COMMITTED);
        kit.answer(wave.get(1), FAILED);
        kit.answer(wave.get(2), COMMITTED);
        int before = kit.outbox.all().size();

        Campaign rolledBack = kit.service.rollback(k.id());

        assertEquals(Campaign.State.ROLLED_BACK, rolledBack.state());
        assertEquals(kit.v1.id(), rolledBack.rollbackTo().orElseThrow());
        List<IssuedInstruction> rollbacks = kit.outbox.all().subList(before, kit.outbox.all().size());
        assertEquals(Set.of("veh-1", "veh-3"), rollbacks.stream().map(i -> i.instruction().vehicleId())
                .collect(Collectors.toSet()));
        for (IssuedInstruction i : rollbacks) {
            Instruction opened = SignedInstruction.open(i.file(), kit.fx.oem.trustStore(), kit.clock);
            assertEquals(kit.v1.packageSha256(), opened.packageSha256());
            assertEquals(2, opened.counter());
            assertEquals(Action.Kind.ROLLBACK, i.kind());
        }
        CampaignStatus s = kit.service.status(k.id());
        assertEquals(2, s.rollback().orElseThrow().instructed());
        AuditRecord last = kit.auditRecords().get(kit.auditRecords().size() - 1);
        assertEquals("ROLLBACK", last.cause());
        assertEquals("1.0.0", last.toVersion());
    }

    @Test
    void aCommitReportedAfterTheRollbackIsSentBackToo() {
        Campaign k = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "100%").build()).id());
        kit.answer(kit.outbox.lastTo("veh-1"), COMMITTED);
        IssuedInstruction late = kit.outbox.lastTo("veh-4");
        kit.service.rollback(k.id());
        int before = kit.outbox.all().size();

        kit.answer(late, COMMITTED);

        assertEquals(before + 1, kit.outbox.all().size());
        IssuedInstruction back = kit.outbox.lastTo("veh-4");
        assertEquals(kit.v1.packageSha256(), back.instruction().packageSha256());
        kit.answer(back, COMMITTED);
        assertEquals(1, kit.service.status(k.id()).rollback().orElseThrow().committed());
        AuditRecord status = kit.auditRecords().get(kit.auditRecords().size() - 1);
        assertEquals(back.instruction().instructionId(), status.instructionId());
        assertEquals("2.0.0", status.fromVersion());
        assertEquals("1.0.0", status.toVersion());
        assertEquals(before + 1, kit.outbox.all().size());
    }

    @Test
    void refusesRollbackWithoutAPreviousRelease() {
        Campaign k = kit.service.start(kit.service.create(kit.spec(kit.v1, vehicles, "100%").build()).id());

        RejectedException e = assertThrows(RejectedException.class, () -> kit.service.rollback(k.id()));

        assertEquals(ReleaseFailure.NO_PREVIOUS_RELEASE, e.reason());
        assertEquals(Campaign.State.RUNNING, kit.service.get(k.id()).state());
    }

    @Test
    void refusesRollbackOfACampaignNeverStarted() {
        Campaign k = kit.service.create(kit.spec(kit.v2, vehicles, "100%").build());

        RejectedException e = assertThrows(RejectedException.class, () -> kit.service.rollback(k.id()));

        assertEquals(CampaignFailure.ILLEGAL_TRANSITION, e.reason());
    }
}

package dev.wasmota.oem.campaign;

import static dev.wasmota.oem.campaign.Action.Status.COMMITTED;
import static dev.wasmota.oem.campaign.Action.Status.FAILED;
import static dev.wasmota.oem.campaign.Action.Status.ROLLED_BACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.instruction.Instruction;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A status report must name an instruction the campaign issued to that vehicle, with its nonce; repeats count once. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class StatusReportTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    CampaignKit kit;
    Campaign campaign;
    Instruction first;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir, database);
        List<String> vehicles = kit.vehicles(4);
        campaign = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "2,100%").advanceAt(100).build()).id());
        first = kit.outbox.lastTo("veh-1").instruction();
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    private RejectedException refused(CampaignFailure reason, String vehicle, String instruction, String nonce) {
        RejectedException e = assertThrows(RejectedException.class, () -> kit.service.reportStatus(vehicle,
                campaign.id(), instruction, nonce, COMMITTED, null));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(0, kit.service.status(campaign.id()).total().committed());
        return e;
    }

    @Test
    void refusesStatusWithTheWrongNonce() {
        String wrong = first.nonce().substring(1) + (first.nonce().endsWith("0") ? "1" : "0");

        RejectedException e = refused(CampaignFailure.WRONG_NONCE, "veh-1", first.instructionId(), wrong);

        assertEquals(3, e.exitCode().code());
        AuditRecord audit = kit.auditRecords().get(kit.auditRecords().size() - 1);
        assertEquals(AuditRecord.Outcome.REFUSED, audit.outcome());
        assertEquals("WRONG_NONCE", audit.cause());
        assertEquals(first.instructionId(), audit.instructionId());
    }

    @Test
    void refusesStatusForAnUnknownInstruction() {
        RejectedException e = refused(CampaignFailure.UNKNOWN_INSTRUCTION, "veh-1", "i-0000000000000000", first.nonce());

        assertEquals(4, e.exitCode().code());
    }

    @Test
    void refusesStatusForAnInstructionOfAnotherCampaign() {
        RejectedException e = assertThrows(RejectedException.class, () -> kit.service.reportStatus("veh-1", "c-other",
                first.instructionId(), first.nonce(), COMMITTED, null));

        assertEquals(CampaignFailure.UNKNOWN_CAMPAIGN, e.reason());
    }

    @Test
    void refusesStatusFromAnotherVehicle() {
        refused(CampaignFailure.STATUS_MISMATCH, "veh-2", first.instructionId(), first.nonce());
    }

    @Test
    void duplicateStatusDoesNotCountTwice() {
        StatusReceipt once = kit.answer(kit.outbox.lastTo("veh-1"), COMMITTED);
        int records = kit.auditRecords().size();

        StatusReceipt twice = kit.answer(kit.outbox.lastTo("veh-1"), COMMITTED);

        assertFalse(once.duplicate());
        assertTrue(twice.duplicate());
        assertEquals(once.action(), twice.action());
        WaveCounts n = kit.service.status(campaign.id()).waves().get(0).counts();
        assertEquals(1, n.committed());
        assertEquals(1, n.awaiting());
        assertEquals(records, kit.auditRecords().size());
        assertEquals(1, kit.service.get(campaign.id()).currentWave());
    }

    @Test
    void refusesAnAnswerThatContradictsTheFirst() {
        kit.answer(kit.outbox.lastTo("veh-1"), FAILED);

        RejectedException e = assertThrows(RejectedException.class, () -> kit.answer(kit.outbox.lastTo("veh-1"), COMMITTED));

        assertEquals(CampaignFailure.STATUS_CONFLICT, e.reason());
        assertEquals(1, kit.service.status(campaign.id()).total().failed());
    }

    @Test
    void aRollbackMayFollowACommit() {
        kit.answer(kit.outbox.lastTo("veh-1"), COMMITTED);

        StatusReceipt r = kit.answer(kit.outbox.lastTo("veh-1"), ROLLED_BACK);

        assertEquals(ROLLED_BACK, r.action().status());
        WaveCounts n = kit.service.status(campaign.id()).waves().get(0).counts();
        assertEquals(0, n.committed());
        assertEquals(1, n.failed());
    }

    @Test
    void recordsTheVehiclesDetail() {
        kit.service.reportStatus("veh-1", campaign.id(), first.instructionId(), first.nonce(), FAILED,
                "health check failed: init() returned 3");

        Action a = kit.service.actions(campaign.id()).get(0);
        assertEquals("health check failed: init() returned 3", a.detail().orElseThrow());
        assertEquals(Action.REPORTED, a.cause().orElseThrow());
    }
}

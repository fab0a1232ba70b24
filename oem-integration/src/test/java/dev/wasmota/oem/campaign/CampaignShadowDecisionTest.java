package dev.wasmota.oem.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.instruction.ShadowCommand;
import dev.wasmota.signing.instruction.ShadowDelivery;
import dev.wasmota.signing.instruction.SignedShadowCommand;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An operator's promote or discard of a campaign's shadow runs: recorded once, audited, and one
 * command signed with the campaign key per vehicle whose shadow runs, bound to its instruction and
 * queued in the outbox; refused for a campaign without shadows, one decided already, or one where
 * no shadow runs.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class CampaignShadowDecisionTest {
    private static final ShadowDelivery SHADOW = new ShadowDelivery(600, 0, 0, List.of());

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

    private Campaign started(String waves) {
        Campaign k = kit.service.create(kit.spec(kit.v2, vehicles, waves).advanceAt(100).build(),
                RolloutOptions.shadow(SHADOW));
        return kit.service.start(k.id());
    }

    private List<ShadowCommand> commandsQueued() {
        List<ShadowCommand> out = new java.util.ArrayList<>();
        for (String v : vehicles) {
            for (OutboxQueue.Entry e : kit.queue().of(v)) {
                if (e.kind() == OutboxQueue.Kind.SHADOW_COMMAND) {
                    out.add(SignedShadowCommand.open(kit.queue().payload(e.id()).orElseThrow(), kit.oem.trustStore(),
                            kit.clock));
                }
            }
        }
        return out;
    }

    @Test
    void aPromotionSendsEachShadowingVehicleASignedCommandAndLaterWavesInstallAtOnce() {
        Campaign k = started("2,100%");
        List<IssuedInstruction> wave1 = kit.outbox.of(k.id());
        assertEquals(2, wave1.size());

        ShadowDecision d = kit.service.decideShadows(k.id(), ShadowCommand.Action.PROMOTE, "agrees on the test track");

        assertEquals(2, d.commands());
        assertEquals(0, d.answered());
        List<ShadowCommand> commands = commandsQueued();
        assertEquals(2, commands.size());
        for (ShadowCommand c : commands) {
            IssuedInstruction i = wave1.stream().filter(w -> w.instruction().vehicleId().equals(c.vehicleId())).findFirst()
                    .orElseThrow();
            assertEquals(i.instruction().instructionId(), c.instructionId(), "bound to the instruction that started it");
            assertEquals(ShadowCommand.Action.PROMOTE, c.action());
            assertEquals("agrees on the test track", c.reason());
        }
        AuditRecord audited = kit.auditRecords().stream().filter(a -> a.event() == AuditEvent.CAMPAIGN_SHADOW_DECIDED)
                .findFirst().orElseThrow();
        assertEquals("PROMOTE", audited.cause());
        assertTrue(audited.detail().contains("2 signed command(s)"), audited.detail());
        assertRejected(ShadowDecisionFailure.SHADOW_DECIDED, () -> kit.service.decideShadows(k.id(),
                ShadowCommand.Action.DISCARD, ""));

        kit.answerAll(wave1, Action.Status.COMMITTED);

        assertEquals(2, kit.service.shadowDecision(k.id()).orElseThrow().answered());
        List<IssuedInstruction> wave2 = kit.outbox.of(k.id()).subList(2, 3);
        assertTrue(wave2.get(0).instruction().shadow().isEmpty(), "after a promotion the next wave installs at once");
    }

    @Test
    void aDiscardCarriesTheReasonAndAbortsTheCampaign() {
        Campaign k = started("1,100%");

        ShadowDecision d = kit.service.decideShadows(k.id(), ShadowCommand.Action.DISCARD, "writes 127 on 0x220");

        assertEquals(1, d.commands());
        ShadowCommand c = commandsQueued().get(0);
        assertEquals(ShadowCommand.Action.DISCARD, c.action());
        assertEquals("writes 127 on 0x220", c.reason());
        assertEquals(Campaign.State.ABORTED, kit.service.get(k.id()).state());
        assertEquals(1, kit.outbox.of(k.id()).size(), "no later wave");
    }

    @Test
    void refusesACampaignWithoutShadowsOneWithNoneRunningAndABadReason() {
        Campaign plain = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "100%").build()).id());
        assertRejected(ShadowDecisionFailure.NO_SHADOW_CAMPAIGN, () -> kit.service.decideShadows(plain.id(),
                ShadowCommand.Action.PROMOTE, ""));
        kit.service.abort(plain.id());
        Campaign created = kit.service.create(kit.spec(kit.v2, vehicles, "100%").build(), RolloutOptions.shadow(SHADOW));
        assertRejected(ShadowDecisionFailure.NO_SHADOW_RUNNING, () -> kit.service.decideShadows(created.id(),
                ShadowCommand.Action.PROMOTE, ""));
        assertRejected(ShadowDecisionFailure.INVALID_REASON, () -> kit.service.decideShadows(created.id(),
                ShadowCommand.Action.DISCARD, "x".repeat(201)));
        assertRejected(CampaignFailure.UNKNOWN_CAMPAIGN, () -> kit.service.decideShadows("c-none",
                ShadowCommand.Action.DISCARD, ""));
        assertTrue(kit.service.shadowDecision(created.id()).isEmpty(), "a refused decision records nothing");
        assertTrue(commandsQueued().isEmpty());
    }

    private static void assertRejected(Reason reason, Executable call) {
        RejectedException e = assertThrows(RejectedException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(4, e.exitCode().code());
    }
}

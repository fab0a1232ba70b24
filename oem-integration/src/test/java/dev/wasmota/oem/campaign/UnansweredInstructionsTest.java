package dev.wasmota.oem.campaign;

import static dev.wasmota.oem.campaign.Action.Status.COMMITTED;
import static dev.wasmota.oem.campaign.Action.Status.FAILED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The unanswered instructions a restarted OEM checks against its outbox: rebuilt from the
 * database exactly as issued, only while still valid, and only those the campaign still means to
 * send.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class UnansweredInstructionsTest {
    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    @Test
    void rebuiltExactlyAsIssuedWhileRunningOrPausedAndUntilTheyExpire() {
        try (CampaignKit kit = new CampaignKit(dir, database)) {
            rebuiltExactlyAsIssued(kit, kit.vehicles(3));
        }
    }

    private static void rebuiltExactlyAsIssued(CampaignKit kit, List<String> vehicles) {
        Campaign k = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "1,100%").advanceAt(100).build()).id());
        IssuedInstruction issued = kit.outbox.lastTo("veh-1");
        List<IssuedInstruction> unanswered = kit.service.unanswered();
        assertEquals(1, unanswered.size());
        IssuedInstruction rebuilt = unanswered.get(0);
        assertEquals(issued.instruction(), rebuilt.instruction());
        assertArrayEquals(issued.file(), rebuilt.file());
        assertEquals(issued.kind(), rebuilt.kind());
        assertEquals(issued.release(), rebuilt.release());
        assertEquals(issued.fileName(), rebuilt.fileName());

        kit.service.pause(k.id());
        assertEquals(1, kit.service.unanswered().size(), "a paused campaign's outstanding instruction still counts");
        kit.service.resume(k.id());
        kit.answer(issued, COMMITTED);
        assertEquals(Set.of("veh-2", "veh-3"), vehicles(kit.service.unanswered()), "answered ones drop out, wave 2 comes in");

        kit.clock.advance(k.validity().plus(Duration.ofSeconds(1)));
        assertEquals(List.of(), kit.service.unanswered(), "expired instructions are not sent again");
    }

    @Test
    void afterARollbackOnlyTheRollbackInstructionsAndNothingAfterAnAbort() {
        try (CampaignKit kit = new CampaignKit(dir, database)) {
            onlyRollbacksAndNothingAfterAnAbort(kit, kit.vehicles(3));
        }
    }

    private static void onlyRollbacksAndNothingAfterAnAbort(CampaignKit kit, List<String> vehicles) {
        Campaign k = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "100%").advanceAt(100).stopAt(100)
                .build()).id());
        List<IssuedInstruction> wave = kit.outbox.of(k.id());
        kit.answer(wave.get(0), COMMITTED);
        kit.answer(wave.get(1), FAILED);
        kit.service.rollback(k.id());
        List<IssuedInstruction> unanswered = kit.service.unanswered();
        assertEquals(1, unanswered.size(), "veh-3's install is no longer meant; veh-1's rollback is");
        assertEquals(Action.Kind.ROLLBACK, unanswered.get(0).kind());
        assertEquals("veh-1", unanswered.get(0).instruction().vehicleId());
        assertEquals(kit.v1.packageSha256(), unanswered.get(0).instruction().packageSha256());

        List<String> more = List.of("veh-4", "veh-5");
        more.forEach(id -> kit.service.vehicles().register(id, "ecu-a"));
        Campaign other = kit.service.start(kit.service.create(kit.spec(kit.v2, more, "100%").build()).id());
        assertEquals(3, kit.service.unanswered().size());
        kit.service.abort(other.id());
        assertEquals(1, kit.service.unanswered().size(), "an aborted campaign sends nothing more");
    }

    private static Set<String> vehicles(List<IssuedInstruction> instructions) {
        return instructions.stream().map(i -> i.instruction().vehicleId()).collect(Collectors.toSet());
    }
}

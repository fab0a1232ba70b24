package dev.wasmota.oem.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A wave larger than a slice ({@link InstructionIssuer#SLICE}) is issued as one by one would be:
 * every vehicle its next counter, every instruction signed by the campaign key for its vehicle
 * and the release, every id its own, in the wave's order; its actions, counters and fleet state as
 * the instructions say.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class WaveStartTest {
    private static final int VEHICLES = InstructionIssuer.SLICE + 37;

    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    CampaignKit kit;

    @AfterEach
    void tearDown() {
        if (kit != null) {
            kit.close();
        }
    }

    @Test
    void aWaveOfSeveralSlicesIssuesEachVehicleItsNextCounterUnderTheCampaignKey() {
        kit = new CampaignKit(dir, database);
        List<String> vehicles = kit.vehicles(VEHICLES);
        Campaign first = kit.service.start(kit.service.create(kit.spec(kit.v1, vehicles, "100%").build()).id());
        kit.service.abort(first.id());
        int before = kit.outbox.all().size();

        Campaign second = kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "100%").build()).id());

        List<IssuedInstruction> issued = kit.outbox.all().subList(before, kit.outbox.all().size());
        assertEquals(VEHICLES, issued.size());
        Set<String> ids = new HashSet<>();
        Map<String, Long> counters = new TreeMap<>();
        for (IssuedInstruction i : issued) {
            Instruction opened = SignedInstruction.open(i.file(), kit.fx.oem.trustStore(), kit.clock);
            assertEquals(i.instruction(), opened, "what is sent is what was signed");
            assertEquals(second.id(), opened.campaignId());
            assertEquals(kit.v2.packageSha256(), opened.packageSha256());
            assertTrue(ids.add(opened.instructionId()), "each instruction its own id");
            counters.put(opened.vehicleId(), opened.counter());
        }
        assertEquals(vehicles, issued.stream().map(i -> i.instruction().vehicleId()).toList(), "in the wave's order");
        assertTrue(counters.values().stream().allMatch(c -> c == 2L), "each vehicle's second counter: " + counters.values()
                .stream().distinct().toList());
        assertEquals(VEHICLES, kit.service.status(second.id()).total().awaiting());
        Map<Integer, WaveCounts> recount = kit.db.transaction(c -> WaveCounters.recount(c, second.id()));
        assertEquals(recount, kit.db.transaction(c -> WaveCounters.read(c, second.id())));
        for (Action a : kit.service.actions(second.id())) {
            assertEquals(Action.Status.INSTRUCTED, a.status());
            assertEquals(2L, a.issued().orElseThrow().counter());
        }
    }
}

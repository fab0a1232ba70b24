package dev.wasmota.oem.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.instruction.UserNotice;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a campaign tells the vehicles' users (issue 17) travels in each signed install instruction. */
class CampaignNoticesTest {
    @TempDir
    Path dir;

    CampaignKit kit;
    CampaignNotices notices;

    /** The database the test runs on. */
    dev.wasmota.oem.campaign.TestDatabase database() {
        return dev.wasmota.oem.campaign.TestDatabase.H2;
    }

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir, database());
        kit.vehicles(1);
        notices = new CampaignNotices(kit.db, kit.audit, kit.clock, "test");
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    private Instruction issued() {
        byte[] file = kit.outbox.lastTo("veh-1").file();
        return SignedInstruction.open(file, kit.fx.oem.trustStore(), kit.clock);
    }

    private Campaign created() {
        return kit.service.create(kit.spec(kit.v2, List.of("veh-1"), "100%").build());
    }

    @Test
    void theInstructionCarriesTheRecordsPurposeWithTheStatedDurationAndFunctions() throws Exception {
        Campaign k = created();
        try (InputStream in = getClass().getResourceAsStream("complete-record.json")) {
            new UpdateRecords(kit.db, kit.audit, kit.clock, "test").state(k.id(), UpdateRecord.parse(in.readAllBytes()));
        }
        String purpose = new UpdateRecords(kit.db, kit.audit, kit.clock, "test").find(k.id()).orElseThrow().record()
                .purpose().orElseThrow();
        notices.state(k.id(), Optional.empty(), Duration.ofMinutes(5), List.of("adaptive cruise control", "lane assist"));

        kit.service.start(k.id());

        assertEquals(Optional.of(new UserNotice(purpose.lines().findFirst().orElseThrow(), 300,
                List.of("adaptive cruise control", "lane assist"))), issued().notice());
    }

    @Test
    void aStatedPurposeTellsTheUserWithoutARecord() {
        Campaign k = created();
        notices.state(k.id(), Optional.of("new brake temperature estimate"), Duration.ZERO, List.of());

        kit.service.start(k.id());

        assertEquals("new brake temperature estimate", issued().notice().orElseThrow().purpose());
    }

    @Test
    void withNeitherANoticeNorARecordTheInstructionCarriesNone() {
        kit.service.start(created().id());

        assertEquals(Optional.empty(), issued().notice());
    }

    @Test
    void theNoticeIsFixedAtTheStartAndBoundedBefore() {
        Campaign k = created();
        assertThrows(RejectedException.class, () -> notices.state(k.id(), Optional.of("x"), Duration.ZERO,
                List.of("1", "2", "3", "4", "5", "6", "7", "8", "9")));
        kit.service.start(k.id());

        RejectedException e = assertThrows(RejectedException.class,
                () -> notices.state(k.id(), Optional.of("late"), Duration.ZERO, List.of()));
        assertEquals(RecordFailure.RECORD_FROZEN, e.reason());
    }
}

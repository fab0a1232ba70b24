package dev.wasmota.oem.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.campaign.CampaignService;
import dev.wasmota.oem.release.Release;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release carries its own update record (issue 17); each campaign inherits it, its own fields taking precedence. */
class ReleaseRecordsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    CampaignKit kit;
    Release reported;
    ReleaseRecords releaseRecords;
    UpdateRecords records;
    CampaignService strict;

    /** The database the test runs on. */
    dev.wasmota.oem.campaign.TestDatabase database() {
        return dev.wasmota.oem.campaign.TestDatabase.H2;
    }

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir, database());
        kit.vehicles(1);
        reported = kit.releases.publish(PackageFile.toBytes(CampaignKit.healthy(kit.fx, "3.0.0", 3, "healthy_v2.wasm")),
                Optional.of("{\"accepted\":true}".getBytes(StandardCharsets.UTF_8)));
        releaseRecords = new ReleaseRecords(kit.db, kit.audit, kit.clock, "test");
        records = new UpdateRecords(kit.db, kit.audit, kit.clock, "test");
        strict = CampaignService.builder(kit.db, kit.releases, kit.fx.oem.campaign(), kit.outbox, kit.audit)
                .clock(kit.clock).random(new Random(1)).actor("test").startCheck(UpdateRecords.startCheck(true)).build();
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    private static UpdateRecord record(ObjectNode o) throws IOException {
        return UpdateRecord.parse(JSON.writeValueAsBytes(o));
    }

    private Campaign created() {
        return strict.create(kit.spec(reported, List.of("veh-1"), "100%").build());
    }

    @Test
    void aCampaignWithoutItsOwnRecordStartsUnderItsReleasesRecord() throws IOException {
        releaseRecords.state(kit.releases, reported.id(), record(UpdateRecordStartTest.complete()));
        Campaign k = created();

        assertEquals(Campaign.State.RUNNING, strict.start(k.id()).state());
    }

    @Test
    void aCampaignsRecordCompletesItsReleasesAndItsFieldsTakePrecedence() throws IOException {
        ObjectNode release = UpdateRecordStartTest.complete();
        release.remove("executionConditions");
        releaseRecords.state(kit.releases, reported.id(), record(release));
        Campaign k = created();
        ObjectNode own = JSON.createObjectNode().put("format", UpdateRecord.FORMAT)
                .put("executionConditions", "parked, ignition off, workshop mode").put("purpose", "fleet-specific purpose");
        records.state(k.id(), record(own));

        assertEquals(Campaign.State.RUNNING, strict.start(k.id()).state());
        UpdateRecord effective = kit.db.transaction(c -> UpdateRecords.effective(c, k)).orElseThrow();
        assertEquals(Optional.of("fleet-specific purpose"), effective.purpose());
        assertEquals(Optional.of("parked, ignition off, workshop mode"), effective.executionConditions());
        assertEquals(record(release).impactAssessment(), effective.impactAssessment(), "inherited");
    }

    @Test
    void aFieldNeitherStatesIsNamedAtTheStart() throws IOException {
        ObjectNode release = UpdateRecordStartTest.complete();
        release.remove("impactAssessment");
        releaseRecords.state(kit.releases, reported.id(), record(release));
        Campaign k = created();

        RejectedException e = assertThrows(RejectedException.class, () -> strict.start(k.id()));

        assertEquals(RecordFailure.INCOMPLETE_RECORD, e.reason());
        assertTrue(e.getMessage().contains("lacks impactAssessment:"), e.getMessage());
    }

    @Test
    void theReleasesRecordIsFixedOnceACampaignOfItStarted() throws IOException {
        releaseRecords.state(kit.releases, reported.id(), record(UpdateRecordStartTest.complete()));
        strict.start(created().id());

        RejectedException e = assertThrows(RejectedException.class,
                () -> releaseRecords.state(kit.releases, reported.id(), record(UpdateRecordStartTest.complete())));

        assertEquals(RecordFailure.RECORD_FROZEN, e.reason());
    }
}

package dev.wasmota.oem.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.audit.AuditEvent;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.campaign.CampaignService;
import dev.wasmota.oem.release.Release;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A campaign's start checks its update record (UN R156 7.1.2): each required field, the confirmation, the V&V evidence. */
class UpdateRecordStartTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    CampaignKit kit;
    Release reported;
    UpdateRecords records;
    CampaignService strict;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir);
        kit.vehicles(2);
        reported = kit.releases.publish(PackageFile.toBytes(CampaignKit.healthy(kit.fx, "3.0.0", 3, "healthy_v2.wasm")),
                Optional.of("{\"accepted\":true}".getBytes(StandardCharsets.UTF_8)));
        records = new UpdateRecords(kit.db, kit.audit, kit.clock, "test");
        strict = CampaignService.builder(kit.db, kit.releases, kit.fx.oem.campaign(), kit.outbox, kit.audit)
                .clock(kit.clock).random(new Random(1)).actor("test").startCheck(UpdateRecords.startCheck(true)).build();
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    static ObjectNode complete() throws IOException {
        try (InputStream in = UpdateRecordStartTest.class.getResourceAsStream("complete-record.json")) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    static Stream<String> requiredFields() {
        return Stream.of("purpose", "affectedSystems", "affectedFunctions", "typeApprovalRelevant", "impactAssessment",
                "authorityApprovalSought", "authorityReference", "executionMethod", "executionConditions",
                "safeExecutionConfirmed");
    }

    private Campaign created(Release r) {
        return strict.create(kit.spec(r, List.of("veh-1", "veh-2"), "1,100%").build());
    }

    private static UpdateRecord record(ObjectNode o) throws IOException {
        return UpdateRecord.parse(JSON.writeValueAsBytes(o));
    }

    @Test
    void aCompleteRecordLetsTheCampaignStartAndIsKept() throws IOException {
        Campaign k = created(reported);
        UpdateRecords.Stored stored = records.state(k.id(), record(complete()));

        assertEquals(Campaign.State.RUNNING, strict.start(k.id()).state());
        assertEquals(stored.sha256(), records.find(k.id()).orElseThrow().sha256());
        assertTrue(kit.auditRecords().stream().anyMatch(r -> r.event() == AuditEvent.UPDATE_RECORD_STATED
                && r.detail().contains(stored.sha256()) && r.detail().endsWith("complete")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requiredFields")
    void refusesTheStartWhenAFieldIsMissing(String field) throws IOException {
        Campaign k = created(reported);
        ObjectNode o = complete();
        o.remove(field);
        records.state(k.id(), record(o));

        RejectedException e = assertThrows(RejectedException.class, () -> strict.start(k.id()));

        assertEquals(RecordFailure.INCOMPLETE_RECORD, e.reason());
        assertEquals(ExitCode.POLICY, e.exitCode());
        assertTrue(e.getMessage().contains("lacks " + field + ":"), e.getMessage());
        assertEquals(Campaign.State.CREATED, strict.get(k.id()).state(), "nothing started");
        assertTrue(kit.outbox.all().isEmpty(), "nothing issued");
    }

    @Test
    void refusesAStartWhoseSafeExecutionIsNotConfirmed() throws IOException {
        Campaign k = created(reported);
        records.state(k.id(), record(complete().put("safeExecutionConfirmed", false)));

        RejectedException e = assertThrows(RejectedException.class, () -> strict.start(k.id()));

        assertTrue(e.getMessage().contains("lacks safeExecutionConfirmed: false"), e.getMessage());
    }

    @Test
    void refusesAStartWithoutVvEvidenceTheReleaseHasNoIntakeReport() throws IOException {
        Campaign k = created(kit.v2);
        records.state(k.id(), record(complete()));

        RejectedException e = assertThrows(RejectedException.class, () -> strict.start(k.id()));

        assertEquals(RecordFailure.INCOMPLETE_RECORD, e.reason());
        assertTrue(e.getMessage().contains("lacks vvEvidence: release healthy@2.0.0 has no intake report"), e.getMessage());
    }

    @Test
    void refusesAStartWithoutARecordWhenThePolicyRequiresOne() {
        Campaign k = created(reported);

        RejectedException e = assertThrows(RejectedException.class, () -> strict.start(k.id()));

        assertEquals(RecordFailure.NO_RECORD, e.reason());
        assertEquals(ExitCode.POLICY, e.exitCode());
    }

    @Test
    void aLenientOemStillChecksARecordThatWasStated() throws IOException {
        Campaign k = kit.service.create(kit.spec(reported, List.of("veh-1"), "100%").build());
        CampaignService lenient = CampaignService.builder(kit.db, kit.releases, kit.fx.oem.campaign(), kit.outbox, kit.audit)
                .clock(kit.clock).random(new Random(2)).startCheck(UpdateRecords.startCheck(false)).build();
        ObjectNode o = complete();
        o.remove("purpose");
        records.state(k.id(), record(o));

        assertThrows(RejectedException.class, () -> lenient.start(k.id()));
    }

    @Test
    void theRecordIsFrozenOnceTheCampaignStarted() throws IOException {
        Campaign k = created(reported);
        records.state(k.id(), record(complete()));
        strict.start(k.id());

        RejectedException e = assertThrows(RejectedException.class, () -> records.state(k.id(), record(complete())));

        assertEquals(RecordFailure.RECORD_FROZEN, e.reason());
    }
}

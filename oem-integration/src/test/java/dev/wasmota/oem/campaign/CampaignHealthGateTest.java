package dev.wasmota.oem.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.stats.ModuleHealth;
import dev.wasmota.oem.release.Release;
import dev.wasmota.signing.pkg.PackageFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Waves gated on runtime health: the vehicles' signed figures of the release running, against the
 * intake's baseline plus the campaign's margin; a call-time regression stops the campaign, naming
 * the metric and the vehicles, as the error threshold does.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class CampaignHealthGateTest {
    /** p99 within 150 % of a 100 µs intake worst, no deadline miss. */
    private static final HealthGate GATE = new HealthGate(100, 150, 0, 0);

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

    private Campaign gated(HealthGate gate) {
        Campaign k = kit.service.create(kit.spec(kit.v2, vehicles, "3").hold(Duration.ofMinutes(30)).build(),
                RolloutOptions.NONE.withHealth(gate));
        return kit.service.start(k.id());
    }

    private static ModuleHealth health(long p99Micros, long misses) {
        return new ModuleHealth("healthy", "2.0.0", 1_000, p99Micros / 3, p99Micros, p99Micros * 2, misses, 0, 1, -1);
    }

    private StatusReceipt commit(IssuedInstruction i, ModuleHealth h) {
        return kit.service.reportStatus(i.instruction().vehicleId(), i.instruction().campaignId(),
                i.instruction().instructionId(), i.instruction().nonce(), Action.Status.COMMITTED, "test",
                Optional.empty(), Optional.of(h));
    }

    @Test
    void aCallTimeRegressionStopsTheWaveNamingTheMetricAndTheVehicles() {
        Campaign k = gated(GATE);
        List<IssuedInstruction> sent = kit.outbox.of(k.id());

        assertEquals(Campaign.State.RUNNING, commit(sent.get(0), health(140, 0)).campaignState(), "140 µs is within 150");
        StatusReceipt r = commit(sent.get(1), health(400, 0));

        assertEquals(Campaign.State.STOPPED, r.campaignState());
        String cause = kit.service.get(k.id()).cause().orElseThrow();
        assertTrue(cause.contains("p99 call time on 1 vehicle(s): " + sent.get(1).instruction().vehicleId()
                + " (400 µs > 150 µs (150 % of the intake's worst 100 µs))"), cause);
        assertTrue(!cause.contains(sent.get(0).instruction().vehicleId()), "the healthy vehicle is not named: " + cause);
        assertTrue(kit.auditRecords().stream().anyMatch(a -> a.event() == AuditEvent.CAMPAIGN_STOPPED
                && a.detail().contains("p99 call time")));
        assertEquals(Wave.State.FAILED, kit.service.status(k.id()).waves().get(0).wave().state());
    }

    @Test
    void aRepeatedCommittedAnswerWithFreshHealthIsNotCountedAgainButItsRegressionStops() {
        Campaign k = gated(GATE);
        IssuedInstruction first = kit.outbox.of(k.id()).get(0);
        commit(first, health(50, 0));

        StatusReceipt again = commit(first, health(50, 2));

        assertTrue(again.duplicate());
        assertEquals(Campaign.State.STOPPED, again.campaignState());
        assertTrue(kit.service.get(k.id()).cause().orElseThrow().contains("deadline misses on 1 vehicle(s)"));
    }

    @Test
    void figuresOverTooFewCallsAreNotJudged() {
        Campaign k = gated(GATE);
        IssuedInstruction first = kit.outbox.of(k.id()).get(0);
        ModuleHealth justActivated = new ModuleHealth("healthy", "2.0.0", HealthGate.MIN_CALLS - 1, 5, 18_000, 18_000, 0,
                0, 1, -1);

        assertEquals(Campaign.State.RUNNING, commit(first, justActivated).campaignState(),
                "a cold first call is not a regression");
        assertEquals(Campaign.State.STOPPED, commit(first, health(400, 0)).campaignState());
    }

    @Test
    void healthOfAnotherVersionIsNotJudged() {
        Campaign k = gated(GATE);
        IssuedInstruction first = kit.outbox.of(k.id()).get(0);
        ModuleHealth old = new ModuleHealth("healthy", "1.0.0", 1_000, 300, 900, 2_000, 3, 0, 1, -1);

        assertEquals(Campaign.State.RUNNING, commit(first, old).campaignState());
    }

    @Test
    void theBaselineIsTheIntakesWorstCallWhenTheGateGivesNone() {
        byte[] report = "{\"timing\":{\"worstUs\":42.5}}".getBytes(StandardCharsets.UTF_8);
        Release v3 = kit.releases.publish(PackageFile.toBytes(CampaignKit.healthy(kit.fx, "3.0.0", 3, "healthy_v1.wasm")),
                Optional.of(report));

        Campaign k = kit.service.create(kit.spec(v3, vehicles, "3").build(),
                RolloutOptions.NONE.withHealth(HealthGate.margin(150, 0)));

        assertEquals(43, kit.service.rolloutOptions(k.id()).health().orElseThrow().baselineWorstMicros());
        RejectedException none = assertThrows(RejectedException.class, () -> kit.service.create(
                kit.spec(kit.v2, vehicles, "3").build(), RolloutOptions.NONE.withHealth(HealthGate.margin(150, 0))));
        assertEquals(CampaignFailure.INVALID_CAMPAIGN, none.reason());
    }
}

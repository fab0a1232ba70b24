package dev.wasmota.ecu;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static dev.wasmota.ecu.HostTestKit.HEALTHY_CAPS;
import static dev.wasmota.ecu.HostTestKit.assertLogVerifies;
import static dev.wasmota.ecu.HostTestKit.await;
import static dev.wasmota.ecu.HostTestKit.records;
import static dev.wasmota.ecu.HostTestKit.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.ecu.safety.SafeExecution;
import dev.wasmota.ecu.sandbox.SimulatedCanBus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shadow's promotion activates the new version, so it waits for the vehicle's safe-execution
 * preconditions like an install (issue 17): postponed and recorded while the vehicle moves,
 * promoted once it stands still; an operator cannot force it meanwhile, but can discard it.
 */
class ShadowSafeExecutionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path pki;
    @TempDir
    Path state;

    private static HostTestKit kit;
    private static byte[] v1;
    private static byte[] v1Again;
    private EcuHost host;
    private SimulatedCanBus bus;

    @BeforeAll
    static void oemAndPackages() {
        kit = new HostTestKit(pki);
        v1 = kit.healthy("1.0.0", 1);
        v1Again = kit.released("healthy_v1.wasm", spec(HEALTHY, "1.1.0", 1, HEALTHY_CAPS));
    }

    @BeforeEach
    void drivingWithV1() throws Exception {
        Files.writeString(state.resolve(SafeExecution.FILE), SafeExecution.DEFAULT.toJson());
        host = kit.open(state);
        host.shadowBudget(new ShadowBudget(1024, 64));
        host.install(v1, InstallContext.manual());
        bus = host.config().environment().can();
        drive(5_500);
        host.start();
        assertTrue(host.awaitStarted(WAIT));
    }

    @AfterEach
    void close() {
        host.close();
    }

    private void drive(long speedKmhTimes100) {
        bus.set(SafeExecution.DEFAULT.speedCanId(), speedKmhTimes100);
        bus.set(SafeExecution.DEFAULT.voltageCanId(), 12_600);
    }

    private List<AuditRecord> postponed() {
        return records(host).stream().filter(r -> r.event() == AuditEvent.INSTALL_POSTPONED).toList();
    }

    private ShadowSpec agreeAfter30() {
        return new ShadowSpec(ShadowTolerance.exact(), new ShadowRule(30, 0.0, 0));
    }

    @Test
    void aPromotionWhileDrivingIsPostponedThenCarriedOutOnceTheVehicleStandsStill() throws Exception {
        host.startShadow(v1Again, InstallContext.manual(), agreeAfter30());

        await(WAIT, "the postponement", () -> !postponed().isEmpty());
        Thread.sleep(1_500);

        assertEquals(1, postponed().size(), "recorded once, not at every try");
        AuditRecord p = postponed().get(0);
        assertEquals("PRECONDITIONS_NOT_MET", p.cause());
        assertEquals("1.1.0", p.toVersion());
        assertTrue(p.detail().contains("not promoted") && p.detail().contains("55.00 km/h"), p.detail());
        assertEquals("1.0.0", host.modules().get(0).activeMetadata().version(), "never activated while driving");
        assertEquals(ShadowReport.State.RUNNING, host.shadow(HEALTHY).orElseThrow().state());
        RejectedException forced = assertThrows(RejectedException.class, () -> host.promoteShadow(HEALTHY, "operator"));
        assertEquals(ShadowFailure.PRECONDITIONS_NOT_MET, forced.reason());

        drive(0);

        await(WAIT, "the promotion", () -> host.shadow(HEALTHY).orElseThrow().state() == ShadowReport.State.PROMOTED);
        assertEquals("1.1.0", host.modules().get(0).activeMetadata().version());
        assertEquals(1, records(host).stream().filter(r -> r.event() == AuditEvent.SHADOW_PROMOTED).count());
        assertLogVerifies(host);
    }

    @Test
    void anOperatorMayDiscardAPostponedPromotion() throws Exception {
        host.startShadow(v1Again, InstallContext.manual(), agreeAfter30());
        await(WAIT, "the postponement", () -> !postponed().isEmpty());

        assertEquals(ShadowReport.State.DISCARDED, host.discardShadow(HEALTHY, "operator", "not today").state());
        drive(0);
        Thread.sleep(1_500);

        assertEquals("1.0.0", host.modules().get(0).activeMetadata().version(), "a discarded shadow is never promoted");
        assertTrue(records(host).stream().noneMatch(r -> r.event() == AuditEvent.SHADOW_PROMOTED));
    }
}

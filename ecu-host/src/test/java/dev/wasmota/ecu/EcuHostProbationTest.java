package dev.wasmota.ecu;

import static dev.wasmota.ecu.HostTestKit.HEALTHY;
import static dev.wasmota.ecu.HostTestKit.after;
import static dev.wasmota.ecu.HostTestKit.assertLogVerifies;
import static dev.wasmota.ecu.HostTestKit.assertRejected;
import static dev.wasmota.ecu.HostTestKit.await;
import static dev.wasmota.ecu.HostTestKit.awaitRecord;
import static dev.wasmota.ecu.HostTestKit.eventsOf;
import static dev.wasmota.ecu.HostTestKit.only;
import static dev.wasmota.ecu.HostTestKit.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.audit.AuditRecord.Outcome;
import dev.wasmota.testkit.MutableClock;
import dev.wasmota.ecu.slots.SlotFailure;
import dev.wasmota.ecu.slots.SlotStore;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.contract.error.RejectedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The confirmation step after an update: the new slot is on probation (its rollback target stays
 * installable) until it has run the fault window without a rollback, or is confirmed by hand; then
 * the floor rises to its security version and the rollback target is refused as a security event.
 */
class EcuHostProbationTest {
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path pki;
    @TempDir
    Path state;

    private static HostTestKit kit;
    private static byte[] v1;
    private static byte[] v2;
    private MutableClock clock;

    @BeforeAll
    static void oemAndPackages() {
        kit = new HostTestKit(pki);
        v1 = kit.healthy("1.0.0", 1);
        v2 = kit.healthy("2.0.0", 2);
    }

    @BeforeEach
    void clock() {
        clock = new MutableClock(Fixtures.T0.plusSeconds(60));
    }

    /** A host on the test's clock whose probation (the fault window) is ten seconds (checked every 500 ms). */
    private EcuHost open() {
        return kit.open(kit.config(state).clock(clock).faultWindow(3, WINDOW).build());
    }

    private static ProbationStatus status(EcuHost host) {
        return host.probation(HEALTHY).orElseThrow();
    }

    /** Waits until the host's probation watch has counted at least {@code served} for healthy. */
    private static void awaitServed(EcuHost host, Duration served) throws InterruptedException {
        await(WAIT, "healthy to have served " + served, () -> status(host).confirmed()
                || status(host).served().compareTo(served) >= 0);
    }

    @Test
    void aNewSlotIsOnProbationAndItsRollbackTargetStaysInstallable() {
        try (EcuHost host = open()) {
            host.install(v1, InstallContext.manual());
            assertTrue(status(host).confirmed(), "a first install has no rollback target: confirmed at once");
            host.install(v2, InstallContext.manual());

            ProbationStatus s = status(host);
            assertFalse(s.confirmed(), s.toString());
            assertEquals(1, s.floor());
            assertEquals(Duration.ZERO, s.served());
            assertEquals(WINDOW, s.required());
            assertEquals("probation:0s/10s", s.label());
            assertEquals("1.0.0", host.rollback(HEALTHY, "test").activeMetadata().version(),
                    "the host can still fall back to v1");
        }
    }

    @Test
    void aSlotThatRanTheFaultWindowWithoutARollbackIsConfirmedAndItsTargetRefused() throws InterruptedException {
        try (EcuHost host = open()) {
            host.install(v1, InstallContext.manual());
            host.install(v2, InstallContext.manual());
            host.start();
            assertTrue(host.awaitStarted(WAIT), "the module started");

            clock.advance(WINDOW.plusSeconds(1));
            AuditRecord confirmed = awaitRecord(host, WAIT, "the confirmation", r -> r.event() == AuditEvent.CONFIRMED);
            host.stop();

            assertEquals("PROBATION_PASSED", confirmed.cause());
            assertEquals("2.0.0", confirmed.toVersion());
            assertEquals(2L, confirmed.securityVersion());
            assertEquals(HostAudit.ACTOR, confirmed.actor());
            assertTrue(confirmed.detail().contains("rollback target 1.0.0 (security version 1) is now below the floor"),
                    confirmed.detail());
            assertEquals(2, host.floor(HEALTHY));
            assertTrue(status(host).confirmed());
            int before = records(host).size();

            RejectedException e = assertRejected(UpdateFailure.ANTI_ROLLBACK, 4, () -> host.install(v1, InstallContext.manual()));
            assertTrue(e.getMessage().contains("below the floor 2"), e.getMessage());
            List<AuditRecord> added = after(records(host), before);
            assertEquals(List.of(AuditEvent.SECURITY_EVENT, AuditEvent.INSTALL_REFUSED), eventsOf(added));
            assertEquals("ANTI_ROLLBACK", added.get(0).cause());

            assertRejected(SlotFailure.BELOW_FLOOR, 4, () -> host.rollback(HEALTHY, "test"));
            List<AuditRecord> rollback = after(records(host), before + 2);
            assertEquals(List.of(AuditEvent.SECURITY_EVENT, AuditEvent.ROLLBACK), eventsOf(rollback));
            assertEquals(Outcome.REFUSED, rollback.get(1).outcome());
            assertLogVerifies(host);
        }
    }

    @Test
    void probationResumesAfterARestartFromWhatWasServed() throws InterruptedException {
        try (EcuHost host = open()) {
            host.install(v1, InstallContext.manual());
            host.install(v2, InstallContext.manual());
            host.start();
            assertTrue(host.awaitStarted(WAIT), "the module started");
            clock.advance(Duration.ofSeconds(6));
            awaitServed(host, Duration.ofSeconds(6));
        }
        try (EcuHost host = open()) {
            ProbationStatus resumed = status(host);
            assertFalse(resumed.confirmed());
            assertEquals(Duration.ofSeconds(6), resumed.served(), "what was served before the restart counts");
            clock.advance(Duration.ofHours(1));
            assertEquals(Duration.ofSeconds(6), status(host).served(), "time the host did not run it does not count");

            host.start();
            assertTrue(host.awaitStarted(WAIT), "the module started");
            awaitServed(host, Duration.ofSeconds(6));
            clock.advance(Duration.ofSeconds(5));
            awaitRecord(host, WAIT, "the confirmation", r -> r.event() == AuditEvent.CONFIRMED);
            assertEquals(2, host.floor(HEALTHY));
        }
    }

    @Test
    void aNewInstallOrARollbackStartsTheProbationAgain() throws InterruptedException {
        byte[] v3 = kit.healthy("3.0.0", 3);
        try (EcuHost host = open()) {
            host.install(v1, InstallContext.manual());
            host.install(v2, InstallContext.manual());
            host.start();
            assertTrue(host.awaitStarted(WAIT), "the module started");
            clock.advance(Duration.ofSeconds(6));
            awaitServed(host, Duration.ofSeconds(6));

            host.install(v3, InstallContext.manual());
            assertEquals(Duration.ZERO, status(host).served(), "3.0.0 starts its own probation");
            assertEquals(2, status(host).floor());
            host.rollback(HEALTHY, "test");
            assertTrue(status(host).confirmed(), "back on 2.0.0 with no rollback target: nothing below it to fall back to");
        }
    }

    @Test
    void confirmingByHandRaisesTheFloorAtOnceAndOnlyOnce() {
        try (EcuHost host = open()) {
            host.install(v1, InstallContext.manual());
            host.install(v2, InstallContext.manual());
            int before = records(host).size();

            ProbationStatus s = host.confirm(HEALTHY, "operator-7");

            assertTrue(s.confirmed());
            assertEquals(2, host.floor(HEALTHY));
            List<AuditRecord> added = after(records(host), before);
            assertEquals(List.of(AuditEvent.CONFIRMED, AuditEvent.FLOOR_RAISED), eventsOf(added));
            assertEquals("MANUAL", added.get(0).cause());
            assertEquals("operator-7", added.get(0).actor());

            host.confirm(HEALTHY, "operator-7");
            assertEquals(before + 2, records(host).size(), "confirming a confirmed slot changes nothing");
            assertRejected(SlotFailure.NOT_INSTALLED, 4, () -> host.confirm("absent", "operator-7"));
        }
    }

    @Test
    void aConfirmationACrashLeftUnloggedIsRecordedOnOpen() {
        try (EcuHost host = open()) {
            host.install(v1, InstallContext.manual());
            host.install(v2, InstallContext.manual());
        }
        SlotStore.open(state.resolve("slots")).raiseFloor(HEALTHY, 2);

        try (EcuHost host = open()) {
            AuditRecord recovery = only(records(host).stream().filter(r -> r.event() == AuditEvent.RECOVERY).toList(),
                    AuditEvent.RECOVERY);
            assertTrue(recovery.detail().contains("confirmation was not logged"), recovery.detail());
            assertTrue(status(host).confirmed());
        }
    }
}

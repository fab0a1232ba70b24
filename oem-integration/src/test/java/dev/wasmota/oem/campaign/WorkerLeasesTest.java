package dev.wasmota.oem.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** One live process per worker name; a lease runs out unless renewed; a crashed process's lease on this machine is taken at once. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class WorkerLeasesTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    /** A process id no process has: the largest Linux allows is 4194304. */
    private static final long NO_SUCH_PID = 99_999_999L;

    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(java.time.Instant.parse("2026-06-01T10:00:00Z"));
    CampaignDatabase db;

    @BeforeEach
    void setUp() {
        db = CampaignDatabase.open(database.freshUrl(), clock);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private WorkerLeases on(String host, long pid) {
        return new WorkerLeases(db, clock, host, pid);
    }

    @Test
    void aSecondLiveProcessIsRefusedTheNameUntilTheLeaseRunsOut() {
        WorkerLeases first = on("host-a", 100);
        WorkerLeases second = on("host-b", 200);
        first.acquire("w1", LEASE);

        RejectedException e = assertThrows(RejectedException.class, () -> second.acquire("w1", LEASE));
        assertEquals(CampaignFailure.WORKER_ACTIVE, e.reason());
        assertEquals(2, e.exitCode().code());
        assertTrue(e.getMessage().contains("host-a"), e.getMessage());

        clock.advance(LEASE.plusSeconds(1));
        second.acquire("w1", LEASE);
        assertFalse(first.renew("w1", LEASE), "the first lost it");
        assertEquals("host-b", second.list().get(0).host());
    }

    @Test
    void aLeaseRenewedInTimeStaysLive() {
        WorkerLeases first = on("host-a", 100);
        first.acquire("w1", LEASE);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(10));
            assertTrue(first.renew("w1", LEASE));
        }

        assertThrows(RejectedException.class, () -> on("host-b", 200).acquire("w1", LEASE));
    }

    @Test
    void aRestartOnTheSameMachineAfterACrashTakesTheNameAtOnce() {
        on(localHost(), NO_SUCH_PID).acquire("w1", LEASE);

        on(localHost(), ProcessHandle.current().pid()).acquire("w1", LEASE);

        assertEquals(ProcessHandle.current().pid(), on("x", 0).list().get(0).pid());
    }

    @Test
    void aCleanStopGivesTheNameUpAtOnce() {
        WorkerLeases first = on("host-a", 100);
        first.acquire("w1", LEASE);
        first.release("w1");

        on("host-b", 200).acquire("w1", LEASE);
        assertEquals(List.of("w1"), on("x", 0).list().stream().map(WorkerLeases.Worker::name).toList());
    }

    private static String localHost() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}

package dev.wasmota.oem.campaign;

import static dev.wasmota.oem.campaign.Action.Status.COMMITTED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The database outbox: a step's instructions are queued in its own transaction; workers claim
 * them one worker per message and one message per vehicle at a time; a claim holds while its
 * worker's lease is live and is taken over once it has run out.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class OutboxQueueTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    @Parameter
    TestDatabase database;

    @TempDir
    Path dir;

    CampaignKit kit;
    OutboxQueue queue;
    WorkerLeases leases;

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir, database);
        queue = kit.queue();
        leases = new WorkerLeases(kit.db, kit.clock);
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    private Campaign startOn(List<String> vehicles) {
        return kit.service.start(kit.service.create(kit.spec(kit.v2, vehicles, "100%").advanceAt(100).build()).id());
    }

    @Test
    void aStepsInstructionsAreQueuedInItsTransactionAsSigned() {
        List<String> vehicles = kit.vehicles(3);
        Campaign k = startOn(vehicles);

        List<OutboxQueue.Entry> waiting = queue.in(OutboxQueue.State.WAITING);

        assertEquals(3, waiting.size());
        for (IssuedInstruction i : kit.outbox.of(k.id())) {
            OutboxQueue.Entry e = queue.of(i.instruction().vehicleId()).get(0);
            assertEquals(OutboxQueue.Kind.INSTRUCTION, e.kind());
            assertEquals(i.fileName(), e.fileName());
            assertArrayEquals(i.file(), queue.payload(e.id()).orElseThrow());
        }
    }

    @Test
    void aClaimedMessageIsNoOneElsesWhileItsWorkersLeaseIsLiveAndTakenOverAfter() {
        kit.vehicles(2);
        startOn(List.of("veh-1", "veh-2"));
        leases.acquire("w1", LEASE);
        leases.acquire("w2", LEASE);

        List<OutboxQueue.Message> mine = queue.claim("w1", 10);
        assertEquals(2, mine.size());
        assertTrue(mine.stream().allMatch(m -> m.takenFrom().isEmpty()));
        assertEquals(List.of(), queue.claim("w2", 10), "w1's lease is live");

        kit.clock.advance(Duration.ofSeconds(20));
        assertTrue(leases.renew("w1", LEASE));
        kit.clock.advance(Duration.ofSeconds(20));
        assertEquals(List.of(), queue.claim("w2", 10), "renewed: live until 50 s");

        kit.clock.advance(Duration.ofSeconds(11));
        leases.renew("w2", LEASE);
        List<OutboxQueue.Message> taken = queue.claim("w2", 10);

        assertEquals(2, taken.size());
        assertTrue(taken.stream().allMatch(m -> m.takenFrom().equals(Optional.of("w1"))));
        assertFalse(queue.sent(mine.get(0).id(), "w1"), "w1 no longer holds it");
        assertTrue(queue.sent(taken.get(0).id(), "w2"));
    }

    @Test
    void aWorkerWithoutAnyLeaseHoldsNothing() {
        kit.vehicles(1);
        startOn(List.of("veh-1"));
        queue.claim("gone", 10);

        assertEquals(1, queue.claim("w2", 10).size(), "a claim by a worker with no lease is anyone's");
    }

    @Test
    void aVehiclesMessagesGoOutOneAtATimeInTheOrderTheyWereQueued() {
        kit.vehicles(1);
        Campaign first = startOn(List.of("veh-1"));
        kit.answer(kit.outbox.lastTo("veh-1"), COMMITTED);
        kit.service.rollback(first.id());
        leases.acquire("w1", LEASE);

        OutboxQueue.Message install = only(queue.claim("w1", 10));
        assertEquals(List.of(), queue.claim("w1", 10), "the rollback waits until the install is sent");
        queue.sent(install.id(), "w1");
        OutboxQueue.Message rollback = only(queue.claim("w1", 10));

        assertEquals(kit.outbox.of(first.id()).get(0).fileName(), install.fileName());
        assertEquals(kit.outbox.lastTo("veh-1").fileName(), rollback.fileName());
    }

    @Test
    void putBackAndFailedMessagesWaitAgain() {
        kit.vehicles(2);
        startOn(List.of("veh-1", "veh-2"));
        leases.acquire("w1", LEASE);
        List<OutboxQueue.Message> mine = queue.claim("w1", 10);

        assertTrue(queue.unclaim(mine.get(0).id(), "w1"));
        assertEquals(1, queue.releaseClaims("w1"));

        assertEquals(2, queue.in(OutboxQueue.State.WAITING).size());
        assertEquals(2, queue.claim("w1", 10).size());
    }

    @Test
    void workersRacingForTheSameMessagesNeverClaimOneTwice() throws Exception {
        List<String> vehicles = kit.vehicles(40);
        startOn(vehicles);
        List<CampaignDatabase> dbs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<OutboxQueue.Message>>> claims = new ArrayList<>();
            for (int w = 1; w <= 4; w++) {
                CampaignDatabase db = CampaignDatabase.open(kit.url, kit.clock);
                dbs.add(db);
                new WorkerLeases(db, kit.clock).acquire("w" + w, LEASE);
                OutboxQueue q = new OutboxQueue(db, kit.clock);
                String worker = "w" + w;
                claims.add(pool.submit(() -> {
                    go.await();
                    List<OutboxQueue.Message> got = new ArrayList<>();
                    // a round may come back empty when the others took its candidates first: claim until none waits
                    while (!q.in(OutboxQueue.State.WAITING).isEmpty()) {
                        got.addAll(q.claim(worker, 3));
                    }
                    return got;
                }));
            }
            go.countDown();
            Set<Long> ids = new HashSet<>();
            int total = 0;
            for (Future<List<OutboxQueue.Message>> f : claims) {
                for (OutboxQueue.Message m : f.get()) {
                    ids.add(m.id());
                    total++;
                }
            }
            assertEquals(40, total, "every message claimed");
            assertEquals(40, ids.size(), "none twice");
        } finally {
            pool.shutdownNow();
            dbs.forEach(CampaignDatabase::close);
        }
    }

    private static OutboxQueue.Message only(List<OutboxQueue.Message> messages) {
        assertEquals(1, messages.size(), messages.toString());
        return messages.get(0);
    }
}

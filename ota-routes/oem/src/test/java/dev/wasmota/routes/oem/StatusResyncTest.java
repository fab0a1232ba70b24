package dev.wasmota.routes.oem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.campaign.IssuedInstruction;
import dev.wasmota.protocol.Topics;
import dev.wasmota.protocol.wire.StatusRequest;
import dev.wasmota.transport.ServiceEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OEM asks a vehicle again for the status of an instruction it has not counted an answer for:
 * once it waited long enough, then at doubling intervals up to an hour, never once it is answered
 * or its campaign no longer sends it; at once after a restart when it was issued long before.
 */
class StatusResyncTest {
    private static final Duration AFTER = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    CampaignKit kit;
    Campaign campaign;
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<ServiceEvent> events = new ArrayList<>();

    @BeforeEach
    void setUp() {
        kit = new CampaignKit(dir);
        campaign = kit.service.start(kit.service.create(kit.spec(kit.v2, kit.vehicles(2), "2").build()).id());
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    private StatusResync resync() {
        return new StatusResync(kit.db, new Topics("fleet"), kit.clock, AFTER, nanos::get, events::add,
                new OemMeters(registry));
    }

    private void wait(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    private static List<String> vehicles(List<StatusResync.Request> requests) {
        return requests.stream().map(StatusResync.Request::vehicleId).toList();
    }

    @Test
    void asksOnceAnInstructionWaitedLongEnoughThenAtDoublingIntervals() {
        StatusResync r = resync();
        IssuedInstruction veh1 = kit.outbox.lastTo("veh-1");

        assertTrue(r.due().isEmpty(), "just issued");
        wait(AFTER.minusSeconds(1));
        assertTrue(r.due().isEmpty());
        wait(Duration.ofSeconds(1));
        List<StatusResync.Request> first = r.due();
        assertEquals(List.of("veh-1", "veh-2"), vehicles(first));
        assertEquals(List.of(veh1.instruction().instructionId()), first.get(0).instructionIds());

        wait(AFTER.minusSeconds(1));
        assertTrue(r.due().isEmpty(), "asked less than one interval ago");
        wait(Duration.ofSeconds(1));
        assertEquals(2, r.due().size(), "one interval (2 min) after the first request");
        wait(AFTER.multipliedBy(2).minusSeconds(1));
        assertTrue(r.due().isEmpty(), "the interval doubled: 4 min");
        wait(Duration.ofSeconds(1));
        assertEquals(2, r.due().size());
        for (int i = 0; i < 10; i++) {
            wait(StatusResync.MAX_INTERVAL);
            r.due();
        }
        wait(StatusResync.MAX_INTERVAL.minusSeconds(1));
        assertTrue(r.due().isEmpty());
        wait(Duration.ofSeconds(1));
        assertEquals(2, r.due().size(), "never more than an hour apart");
    }

    @Test
    void neverAsksAboutAnAnsweredInstructionOrOneItsCampaignNoLongerSends() {
        StatusResync r = resync();
        r.due();
        kit.answer(kit.outbox.lastTo("veh-1"), Action.Status.COMMITTED);
        wait(AFTER);

        assertEquals(List.of("veh-2"), vehicles(r.due()));

        kit.service.abort(campaign.id());
        wait(AFTER.multipliedBy(100));
        assertTrue(r.due().isEmpty(), "an aborted campaign sends nothing more");
    }

    @Test
    void aRestartedWorkerAsksAtOnceAboutWhatWasIssuedLongBefore() {
        kit.clock.advance(AFTER.plusSeconds(1));

        assertEquals(List.of("veh-1", "veh-2"), vehicles(resync().due()));
    }

    @Test
    void afterAReconnectAsksAtOnceAboutWhatWasIssuedBeforeItAndOnlyOnce() {
        StatusResync r = resync();
        assertTrue(r.due().isEmpty(), "just issued");
        wait(Duration.ofSeconds(5));
        r.reconnected();
        wait(Duration.ofSeconds(1));
        kit.service.start(kit.service.create(kit.spec(kit.v2, kit.vehicles(3).subList(2, 3), "1").build()).id());

        assertEquals(List.of("veh-1", "veh-2"), vehicles(r.due()),
                "a report sent while no worker was subscribed may be lost; veh-3's instruction came after");
        assertTrue(r.due().isEmpty(), "asked once since the reconnect");
        wait(AFTER);
        assertEquals(List.of("veh-1", "veh-2", "veh-3"), vehicles(r.due()), "then the usual intervals");
    }

    @Test
    void aRoundAsksAtMostItsBoundOfVehiclesAndTheRestInTheNextRounds() {
        kit.service.start(kit.service.create(kit.spec(kit.v2, kit.vehicles(5).subList(2, 5), "3").build()).id());
        StatusResync r = new StatusResync(kit.db, new Topics("fleet"), kit.clock, AFTER, 2, nanos::get, events::add,
                new OemMeters(registry));
        r.due();
        wait(AFTER);

        List<String> first = vehicles(r.due());
        List<String> second = vehicles(r.due());
        List<String> third = vehicles(r.due());

        assertEquals(2, first.size());
        assertEquals(2, second.size());
        assertEquals(1, third.size());
        java.util.Set<String> all = new java.util.TreeSet<>(first);
        all.addAll(second);
        all.addAll(third);
        assertEquals(java.util.Set.of("veh-1", "veh-2", "veh-3", "veh-4", "veh-5"), all, "each vehicle asked once");
        assertTrue(r.due().isEmpty(), "every one asked: the next request after the doubled interval");
    }

    @Test
    void aRequestThatNeverLeftIsAskedAgainAtTheNextRound() throws Exception {
        StatusResync r = resync();
        r.due();
        wait(AFTER);
        StatusResync.Request request = r.due().get(0);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange ex = new DefaultExchange(camel);
            ex.getIn().setBody(request);
            r.failed(ex);
        }

        assertEquals(List.of("veh-1"), vehicles(r.due()), "veh-2 was asked; veh-1's request never left");
    }

    @Test
    void theRequestGoesToTheVehiclesUpdateTopicAndIsToldAndCounted() throws Exception {
        StatusResync r = resync();
        r.due();
        wait(AFTER);
        StatusResync.Request request = r.due().get(0);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange ex = new DefaultExchange(camel);
            ex.getIn().setBody(request);

            r.message(ex);
            r.sent(ex);

            assertEquals("fleet/vehicle/veh-1/update", ex.getIn().getHeader(PahoMqtt5Constants.CAMEL_PAHO_OVERRIDE_TOPIC));
            assertEquals(new StatusRequest("veh-1", request.instructionIds()),
                    StatusRequest.decode(ex.getIn().getBody(byte[].class)));
        }
        assertEquals("resync asked veh-1 for its status of 1 instruction(s) unanswered: "
                + request.instructionIds().get(0), events.get(0).text());
        assertEquals(1.0, registry.counter(OemMeters.SENT, "kind", "status-request").count());
    }

    @Test
    void aDatabaseThatCannotAnswerAsksNothing() {
        StatusResync r = resync();
        kit.db.close();
        wait(AFTER);

        assertTrue(r.due().isEmpty());

        kit.db = dev.wasmota.oem.campaign.CampaignDatabase.open(kit.url, kit.clock);
    }
}

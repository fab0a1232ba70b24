package dev.wasmota.routes.oem;

import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.CampaignView;
import dev.wasmota.protocol.Topics;
import dev.wasmota.protocol.wire.StatusRequest;
import dev.wasmota.transport.ServiceEvent;
import dev.wasmota.transport.ServiceEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;

/**
 * Asks vehicles again for the status of instructions the OEM has not counted an answer for. A
 * report can be lost (sent while no worker listened) or refused for a cause fixed since (the
 * vehicle's certificate replaced, the worker's database back, the instruction's campaign not yet
 * in the database it reached); without this the campaign waits for the expiry and an operator
 * answers by hand. On the worker's timer ({@code ota.status.resyncMillis}), each instruction
 * unanswered for {@code ota.status.resyncAfterMillis} is named in a {@link StatusRequest} to its
 * vehicle, then again at doubling intervals up to {@link #MAX_INTERVAL}, until it is answered or
 * expires; the vehicle sends again what it reported ({@code SentStatuses}), which the campaign
 * counts as any report (a repeat changes nothing). How long it has waited is measured on the
 * monotonic clock from when this worker first saw it, or from its issue time if that is longer, so
 * a restarted worker asks at once about what was waiting before.
 */
public final class StatusResync {
    /** The longest wait between two requests about one instruction. */
    public static final Duration MAX_INTERVAL = Duration.ofHours(1);
    private static final System.Logger LOG = System.getLogger(StatusResync.class.getName());
    private static final String REQUEST = "otaStatusRequest";
    /** Requests sent in one round at most unless told otherwise. */
    public static final int DEFAULT_PER_ROUND = 500;

    private record Asked(long firstSeenNanos, long lastAskedNanos, long intervalNanos) {
    }

    /** One request on its way: the vehicle and the instructions it is asked about. */
    public record Request(String vehicleId, List<String> instructionIds) {
    }

    private final CampaignDatabase db;
    private final Topics topics;
    private final Clock clock;
    private final Duration after;
    private final LongSupplier nanos;
    private final ServiceEvents events;
    private final OemMeters meters;
    private final int perRound;
    private final Map<String, Asked> asked = new HashMap<>();
    private boolean failing;
    /** When the worker's status subscription last came back after a lost connection ({@link #reconnected}). */
    private long reconnectedNanos = Long.MIN_VALUE;

    public StatusResync(CampaignDatabase db, Topics topics, Clock clock, Duration after, ServiceEvents events, OemMeters meters) {
        this(db, topics, clock, after, DEFAULT_PER_ROUND, System::nanoTime, events, meters);
    }

    /** As the public constructor, sending at most {@code perRound} requests a round ({@code ota.status.resyncPerRound}). */
    public StatusResync(CampaignDatabase db, Topics topics, Clock clock, Duration after, int perRound, ServiceEvents events,
                        OemMeters meters) {
        this(db, topics, clock, after, perRound, System::nanoTime, events, meters);
    }

    StatusResync(CampaignDatabase db, Topics topics, Clock clock, Duration after, LongSupplier nanos, ServiceEvents events,
                 OemMeters meters) {
        this(db, topics, clock, after, DEFAULT_PER_ROUND, nanos, events, meters);
    }

    StatusResync(CampaignDatabase db, Topics topics, Clock clock, Duration after, int perRound, LongSupplier nanos,
                 ServiceEvents events, OemMeters meters) {
        if (perRound < 1) {
            throw new IllegalArgumentException("setting ota.status.resyncPerRound=" + perRound + " must be at least 1");
        }
        this.perRound = perRound;
        this.db = db;
        this.topics = topics;
        this.clock = clock;
        this.after = after;
        this.nanos = nanos;
        this.events = events;
        this.meters = meters;
    }

    /**
     * The worker's status subscription is back after a lost connection: every instruction issued
     * before now and not asked about since is due at the next round, however short its wait. A
     * report sent while no worker was subscribed may be gone: Mosquitto does not queue a message
     * for a shared subscription that it restored from its persistence after a restart until a
     * worker subscribes again (measured with 2.0.11), and a vehicle cannot tell.
     */
    public synchronized void reconnected() {
        reconnectedNanos = nanos.getAsLong();
    }

    /**
     * The requests due now, at most {@link StatusRequest#MAX_INSTRUCTIONS} instructions each, to at
     * most {@code perRound} vehicles: after an outage a whole fleet's instructions can be due at
     * once, and a round is published one request after another on the worker's one outgoing
     * client; what is left is due in the next round (and not counted as asked). A database that
     * cannot answer gives none (logged once; the worker's readiness says so).
     */
    public synchronized List<Request> due() {
        List<CampaignView.Awaited> awaited;
        try {
            awaited = CampaignView.awaitingAnswer(db, clock.instant());
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.log(System.Logger.Level.WARNING, "cannot read the unanswered instructions: " + e);
            }
            return List.of();
        }
        long now = nanos.getAsLong();
        asked.keySet().retainAll(awaited.stream().map(CampaignView.Awaited::instructionId).collect(Collectors.toSet()));
        Map<String, List<String>> byVehicle = new LinkedHashMap<>();
        for (CampaignView.Awaited a : awaited) {
            Asked before = asked.get(a.instructionId());
            if (before == null) {
                long waited = Math.max(0, Duration.between(a.issuedAt(), clock.instant()).toNanos());
                before = new Asked(now - waited, Long.MIN_VALUE, after.toNanos());
                asked.put(a.instructionId(), before);
            }
            boolean missed = before.firstSeenNanos() < reconnectedNanos && before.lastAskedNanos() < reconnectedNanos;
            boolean due = missed || (before.lastAskedNanos() == Long.MIN_VALUE
                    ? now - before.firstSeenNanos() >= after.toNanos()
                    : now - before.lastAskedNanos() >= before.intervalNanos());
            if (due && !byVehicle.containsKey(a.vehicleId()) && byVehicle.size() >= perRound) {
                continue; // this round is full: asked in a later one, still due
            }
            if (due) {
                long next = before.lastAskedNanos() == Long.MIN_VALUE ? before.intervalNanos()
                        : Math.min(before.intervalNanos() * 2, MAX_INTERVAL.toNanos());
                asked.put(a.instructionId(), new Asked(before.firstSeenNanos(), now, next));
                byVehicle.computeIfAbsent(a.vehicleId(), v -> new ArrayList<>()).add(a.instructionId());
            }
        }
        List<Request> out = new ArrayList<>();
        byVehicle.forEach((vehicle, ids) -> {
            for (int i = 0; i < ids.size(); i += StatusRequest.MAX_INSTRUCTIONS) {
                out.add(new Request(vehicle, List.copyOf(ids.subList(i, Math.min(ids.size(), i + StatusRequest.MAX_INSTRUCTIONS)))));
            }
        });
        return out;
    }

    /** Turns the exchange's {@link Request} into the status request for its vehicle's update topic. */
    public void message(Exchange ex) {
        Request r = ex.getIn().getBody(Request.class);
        ex.setProperty(REQUEST, r);
        ex.getIn().setHeader(PahoMqtt5Constants.CAMEL_PAHO_OVERRIDE_TOPIC, topics.update(r.vehicleId()));
        ex.getIn().setBody(new StatusRequest(r.vehicleId(), r.instructionIds()).encode());
    }

    /** The broker took the request: told and counted. */
    public void sent(Exchange ex) {
        Request r = ex.getProperty(REQUEST, Request.class);
        meters.sent(OemMeters.Sent.STATUS_REQUEST);
        events.emit(clock, ServiceEvent.Kind.RESYNC, "resync asked " + r.vehicleId() + " for its status of "
                + r.instructionIds().size() + " instruction(s) unanswered: " + String.join(", ", r.instructionIds()));
    }

    /** Publishing failed: the next round asks again (a request that never left does not count as asked). */
    public synchronized void failed(Exchange ex) {
        Request r = ex.getProperty(REQUEST, Request.class);
        if (r == null) {
            r = ex.getIn().getBody(Request.class);
        }
        if (r != null) {
            for (String id : r.instructionIds()) {
                asked.computeIfPresent(id, (k, a) -> new Asked(a.firstSeenNanos(), Long.MIN_VALUE, after.toNanos()));
            }
            LOG.log(System.Logger.Level.WARNING, "could not ask " + r.vehicleId() + " for its status: "
                    + ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        }
    }
}

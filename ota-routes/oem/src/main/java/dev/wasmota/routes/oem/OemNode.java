package dev.wasmota.routes.oem;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.oem.audit.OemAuditTrail;
import dev.wasmota.oem.campaign.CampaignService;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.Outbox;
import dev.wasmota.oem.campaign.WorkerLeases;
import dev.wasmota.oem.trust.TrustDistribution;
import dev.wasmota.oem.intake.IntakeOptions;
import dev.wasmota.oem.intake.IntakePipeline;
import dev.wasmota.oem.release.ReleaseStore;
import dev.wasmota.oem.release.ReleaseTopics;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.protocol.RouteProperties;
import dev.wasmota.protocol.Topics;
import dev.wasmota.transport.camel.CamelNodes;
import dev.wasmota.transport.camel.DeadLetterRecorder;
import dev.wasmota.transport.HeldMessagesClient;
import dev.wasmota.transport.WindowedPublisher;
import dev.wasmota.transport.MqttClients;
import dev.wasmota.transport.MqttEndpoints;
import dev.wasmota.transport.Readiness;
import dev.wasmota.transport.SlowRetrievalRecorder;
import dev.wasmota.oem.campaign.CampaignFailure;
import dev.wasmota.oem.campaign.FleetSnapshot;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.pki.OemPki;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * The OEM side of the pipeline in one process ({@code ota oem serve}): intake of supplier
 * submissions, campaign dispatch to vehicles, status intake, expiry ticks and dead letters, over
 * one broker. Several workers, each with its own OEM directory (the keys) on any machine, serve one
 * OEM database: intake and status are shared subscriptions of group {@code {{ota.oem.group}}}, so
 * the broker splits them; outbox messages are claimed in the database under the worker's lease
 * ({@link WorkerLeases}), renewed on a timer, so no message is sent by two live workers and a dead
 * worker's claims are taken over once its lease has run out. Everything the worker records goes to
 * the OEM's one audit trail in the database. What it does is told to the config's
 * {@link dev.wasmota.transport.ServiceEvents}, one line each, and counted in its meters
 * ({@link OemMeters}, {@link FleetMeters}); {@link #readiness} says whether it can work now.
 */
public final class OemNode implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OemNode.class.getName());
    private static final Duration SHORTEST_LEASE = Duration.ofSeconds(3);
    private final OemNodeConfig config;
    private final OemAuditTrail audit;
    private final CampaignWorkspace workspace;
    private final OutboxDispatcher dispatcher;
    private final TrustDistribution trust;
    private final WorkerLeases leases;
    private final String worker;
    private final Duration lease;
    /** Whether this node took its worker's lease: only then are the claims under the name its own to put back. */
    private volatile boolean leased;
    private final List<HeldMessagesClient> clients = new ArrayList<>();
    /** The intake and status consumers' clients, with the shared filter each subscribes to. */
    private final List<Subscribed> subscribed = new ArrayList<>();
    private CamelContext camel;

    private record Subscribed(HeldMessagesClient client, String filter) {
    }

    /** What {@link #retire} did: messages its sessions brought since the node started, claims put back. */
    public record Retirement(long handled, int claimsReturned, Duration took) {
    }

    private OemNode(OemNodeConfig config, CampaignWorkspace workspace, OutboxDispatcher dispatcher, String worker,
                    Duration lease) {
        this.config = config;
        this.workspace = workspace;
        this.audit = workspace.trail();
        this.dispatcher = dispatcher;
        this.trust = workspace.trust();
        this.leases = workspace.leases(config.leaseClock());
        this.worker = worker;
        this.lease = lease;
    }

    /**
     * Opens the OEM (the directory's keys, the database), takes this worker's lease, connects to the
     * broker and starts the routes.
     *
     * @throws dev.wasmota.contract.error.RejectedException
     *     {@link dev.wasmota.oem.campaign.CampaignFailure#WORKER_ACTIVE} if another live process serves under this name
     */
    public static OemNode start(OemNodeConfig config) {
        Properties p = config.properties();
        Topics topics = new Topics(p.getProperty("ota.topic.root"));
        String worker = p.getProperty("ota.oem.worker");
        Duration lease = Duration.ofSeconds(RouteProperties.intValue(p, "ota.oem.leaseSeconds"));
        if (lease.compareTo(SHORTEST_LEASE) < 0) {
            throw new IllegalArgumentException("setting ota.oem.leaseSeconds=" + lease.toSeconds() + " is below "
                    + SHORTEST_LEASE.toSeconds() + ": a lease is renewed every third of it");
        }
        AtomicReference<OutboxDispatcher> waker = new AtomicReference<>();
        Outbox wake = issued -> waker.get().deliver(issued);
        CampaignWorkspace ws = CampaignWorkspace.open(config.oemDir(), config.dbUrl(), config.clock(), config.random(),
                "oem-serve:" + worker, Optional.of(wake));
        OemNode node = null;
        try {
            OutboxDispatcher dispatcher = new OutboxDispatcher(ws.outbox(config.leaseClock()), ws.releases(), ws.trail(), worker,
                    () -> ws.pki().trustStore(), topics, config.clock(),
                    Duration.ofMillis(RouteProperties.intValue(p, "ota.dispatch.scanMillis")));
            waker.set(dispatcher);
            node = new OemNode(config, ws, dispatcher, worker, lease);
            node.leases.acquire(worker, lease);
            node.leased = true;
            node.startRoutes(ws.pki(), topics, worker, p);
            return node;
        } catch (RuntimeException | Error e) {
            if (node != null) {
                node.close();
            } else {
                ws.close();
            }
            throw e;
        }
    }

    private void startRoutes(OemPki pki, Topics topics, String worker, Properties p) {
        dispatcher.recover();
        trust.sync();
        int qos = RouteProperties.intValue(p, "ota.mqtt.qos");
        String group = p.getProperty("ota.oem.group");
        HeldMessagesClient intakeClient = connect(worker + "-intake", true, true);
        HeldMessagesClient statusClient = connect(worker + "-status", true, true);
        HeldMessagesClient outClient = connect(worker + "-out", false, false);
        camel = CamelNodes.create("oem-" + worker, p, config.registry());
        IntakeOptions intakeOptions = config.intakeOptions().toBuilder().clock(config.clock()).audit(audit)
                .actor("oem-serve:" + worker).build();
        String intakeFilter = Topics.shared(group, topics.submitFilter());
        String statusFilter = Topics.shared(group, topics.statusFilter());
        subscribed.add(new Subscribed(intakeClient, intakeFilter));
        subscribed.add(new Subscribed(statusClient, statusFilter));
        OemRoutes.Endpoints endpoints = new OemRoutes.Endpoints(
                MqttEndpoints.consumer(camel, "oem-intake-in", intakeFilter, intakeClient, qos),
                MqttEndpoints.consumer(camel, "oem-status-in", statusFilter, statusClient, qos),
                MqttEndpoints.producer(camel, "oem-out", topics.oemDeadLetter(), outClient, qos),
                topics.releases());
        OemMeters meters = new OemMeters(config.registry());
        registerDeadLetters(config.registry());
        StatusResync resync = new StatusResync(workspace.database(), topics, config.clock(),
                Duration.ofMillis(RouteProperties.intValue(p, "ota.status.resyncAfterMillis")),
                RouteProperties.intValue(p, "ota.status.resyncPerRound"), config.events(), meters);
        try {
            camel.addRoutes(new OemRoutes(endpoints, new OemRoutes.Beans(
                    new IntakeHandler(new IntakePipeline(pki, intakeOptions, workspace.owners()), workspace.releases(), pki,
                            topics, config.clock(), config.events(), meters),
                    new StatusBatcher(new StatusHandler(workspace.campaigns(), new CurrentTrust(pki), topics, config.clock(),
                            config.events(), meters), workspace.campaigns(), RouteProperties.intValue(p, "ota.status.batchMax")),
                    new DispatchRound(dispatcher, new WindowedPublisher(outClient, RouteProperties.intValue(p, "ota.dispatch.window"),
                            Duration.ofMillis(RouteProperties.intValue(p, "ota.dispatch.ackTimeoutMillis"))),
                            new DispatchEvents(config.clock(), config.events(), meters), qos,
                            Duration.ofMillis(RouteProperties.intValue(p, "ota.dispatch.ackTimeoutMillis"))),
                    new CampaignTicker(workspace.campaigns(), this::distributeTrustUpdate),
                    resync,
                    new FleetMeters(workspace.database(), config.clock(), config.registry()),
                    this::renewLease, lease.dividedBy(3).toMillis(),
                    new DeadLetterRecorder(audit, "oem-serve:" + worker, topics.oemDeadLetter(), config.clock(),
                            config.registry(), topics, config.events()))));
            camel.addRoutes(new ReleaseRoutes(releaseSweep(pki, topics, p, outClient, qos)));
            camel.start();
            // after the consumer has subscribed again (it is told first, on the same thread): ask at once
            // about what may have been reported while no worker was subscribed
            org.apache.camel.ProducerTemplate rounds = camel.createProducerTemplate();
            statusClient.whenReconnected(() -> {
                resync.reconnected();
                rounds.sendBody(OemRoutes.RESYNC_ROUND, null);
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the OEM routes: " + e.getMessage(), e);
        }
    }

    /**
     * The dead-letter counters at zero for the reasons each consuming route can name: the
     * pipeline's own, and on the status route the campaign's refusals of a report.
     */
    private static void registerDeadLetters(io.micrometer.core.instrument.MeterRegistry registry) {
        List<String> pipeline = new ArrayList<>();
        for (RouteFailure f : RouteFailure.values()) {
            pipeline.add(f.name());
        }
        pipeline.add(DeadLetterRecorder.INTERNAL_ERROR);
        DeadLetterRecorder.register(registry, "oem-intake", pipeline);
        List<String> status = new ArrayList<>(pipeline);
        for (CampaignFailure f : List.of(CampaignFailure.UNKNOWN_CAMPAIGN, CampaignFailure.UNKNOWN_INSTRUCTION,
                CampaignFailure.WRONG_NONCE, CampaignFailure.STATUS_MISMATCH, CampaignFailure.STATUS_CONFLICT)) {
            status.add(f.name());
        }
        DeadLetterRecorder.register(registry, "oem-status", status);
    }

    /**
     * Releases in chunks (issue 20): unless {@code ota.release.chunkBytes} is 0, the dispatcher
     * publishes each release once on the retained release topics and sends vehicles instructions
     * that point at it; the sweep clears the topics of releases no campaign needs (whatever the
     * setting, so turning chunks off still clears what was published).
     */
    private ReleaseSweep releaseSweep(OemPki pki, Topics topics, Properties p, HeldMessagesClient outClient, int qos) {
        ReleaseTopics records = new ReleaseTopics(workspace.database(), config.clock());
        ReleasePublisher.Publish publish = (topic, payload, retained) -> {
            org.eclipse.paho.mqttv5.common.MqttMessage m = new org.eclipse.paho.mqttv5.common.MqttMessage(payload);
            m.setQos(qos);
            m.setRetained(retained);
            outClient.publish(topic, m);
        };
        int chunkBytes = RouteProperties.intValue(p, "ota.release.chunkBytes");
        Optional<ReleasePublisher> publisher = Optional.empty();
        if (chunkBytes > 0) {
            publisher = Optional.of(new ReleasePublisher(records, topics, pki::campaign, chunkBytes, publish));
            dispatcher.publishReleasesWith(publisher.get());
        }
        return new ReleaseSweep(records, topics, publish, publisher, config.clock(), config.events());
    }

    /**
     * Whether this worker can work now: every broker connection up, the campaign database
     * answering, every route started. What {@code /ready} answers.
     */
    public Readiness readiness() {
        boolean db = FleetSnapshot.reachable(workspace.database());
        return new Readiness(List.of(Readiness.broker(clients),
                new Readiness.Check("database", db, db ? "reachable" : "not reachable: " + workspace.database().url()),
                Readiness.routes(camel, OemRoutes.ROUTE_IDS)));
    }

    private HeldMessagesClient connect(String clientId, boolean persistent, boolean manualAcks) {
        String actor = "oem-serve:" + config.properties().getProperty("ota.oem.worker");
        HeldMessagesClient c = MqttClients.connect(config.mqtt().withSlowRetrievalListener(
                new SlowRetrievalRecorder(audit, actor, "oem", config.registry())), clientId, persistent, manualAcks);
        clients.add(c);
        return c;
    }

    /**
     * Queues the newest trust update (written by {@code ota oem revoke} into any worker's
     * {@code vehicle-trust/}, shared through the database) to every registered vehicle if it was not
     * queued yet, and wakes the dispatcher; the campaign tick calls this too. Returns how many
     * vehicles it was queued to.
     */
    public int distributeTrustUpdate() {
        int queued = trust.queueIfNew();
        if (queued > 0) {
            dispatcher.wake();
        }
        return queued;
    }

    /**
     * Renews this worker's lease (on the lease timer, every third of it). A lease found gone (this
     * worker stalled past it, or the database was unreachable) is taken again unless another live
     * process took the name meanwhile; that, and a database out of reach, is logged and tried again
     * at the next renewal, while the claims this worker made may be taken over.
     */
    void renewLease() {
        try {
            if (!leases.renew(worker, lease)) {
                leases.acquire(worker, lease);
                LOG.log(System.Logger.Level.WARNING, "OEM worker " + worker + " had lost its lease (it stalled past "
                        + lease.toSeconds() + " s, or the database was out of reach); it holds it again");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "OEM worker " + worker + " could not renew its lease: " + e.getMessage()
                    + "; its outbox claims are taken over by other workers once the lease has run out");
        }
    }

    /** This worker's name. */
    public String worker() {
        return worker;
    }

    /**
     * Retires this worker for good. Its intake and status sessions are persistent and hold a
     * share of the shared subscriptions, so a worker that simply stops keeps receiving its share
     * (Mosquitto queues it for the session's whole expiry, 7 days) and nobody handles it. Here the
     * worker stops taking outbox work and puts back what it had claimed, unsubscribes both
     * sessions, handles what the broker had queued for them until nothing has arrived for
     * {@code quiet} and every message is acknowledged, and then ends both sessions (session expiry
     * 0), which the audit log records. Call it on a node just started under the retiring worker's
     * name; close the node afterwards.
     *
     * @throws RejectedException {@link RouteFailure#TIMED_OUT} if messages were still arriving or
     *     unacknowledged after {@code limit}: the sessions are then kept, so nothing is lost
     */
    public Retirement retire(Duration quiet, Duration limit, Consumer<String> progress) {
        long start = System.nanoTime();
        String worker = config.properties().getProperty("ota.oem.worker");
        try {
            camel.getRouteController().stopRoute("oem-dispatch");
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the dispatch route: " + e.getMessage(), e);
        }
        int returned = dispatcher.recover();
        long lastProgress = System.nanoTime();
        while (true) {
            unsubscribe(); // again on each round: after a reconnect the consumer subscribes again
            long count = arrived();
            long lastChange = System.nanoTime();
            while (unacknowledged() > 0 || System.nanoTime() - lastChange < quiet.toNanos()) {
                long now = System.nanoTime();
                if (arrived() != count) {
                    count = arrived();
                    lastChange = now;
                }
                if (now - start >= limit.toNanos()) {
                    throw new RejectedException(RouteFailure.TIMED_OUT, "worker " + worker + " still had messages arriving "
                            + "or unacknowledged after " + limit.toSeconds() + " s (" + count + " handled, "
                            + unacknowledged() + " in hand); its sessions are kept: run the retirement again");
                }
                if (now - lastProgress >= 5_000_000_000L) {
                    lastProgress = now;
                    progress.accept("draining worker " + worker + ": " + count + " handled so far, "
                            + unacknowledged() + " in hand");
                }
                sleep(100, worker);
            }
            unsubscribe();
            if (arrived() == count && unacknowledged() == 0) {
                break;
            }
        }
        long handled = arrived();
        for (Subscribed s : subscribed) {
            try {
                s.client().endSession(5000);
            } catch (MqttException e) {
                throw new RejectedException(RouteFailure.BROKER_UNAVAILABLE, "could not end session " + s.client().getClientId()
                        + ": " + e.getMessage(), e);
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        returned += dispatcher.recover();
        leases.release(worker);
        audit.append(AuditRecord.builder(AuditEvent.OEM_WORKER_RETIRED).actor("oem-serve:" + worker)
                .detail("worker " + worker + " retired: " + handled + " queued messages handled, " + returned
                        + " claims put back, sessions " + subscribed.stream().map(x -> x.client().getClientId()).toList()
                        + " ended").build());
        return new Retirement(handled, returned, took);
    }

    private static void sleep(long millis, String worker) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while draining worker " + worker, e);
        }
    }

    private long arrived() {
        return subscribed.stream().mapToLong(s -> s.client().messagesArrived()).sum();
    }

    private int unacknowledged() {
        return subscribed.stream().mapToInt(s -> s.client().unacknowledged()).sum();
    }

    /** Stops the broker giving this worker's sessions a share of new messages (what is queued still comes). */
    private void unsubscribe() {
        for (Subscribed s : subscribed) {
            try {
                s.client().unsubscribe(s.filter());
            } catch (MqttException e) {
                throw new RejectedException(RouteFailure.BROKER_UNAVAILABLE, "could not unsubscribe "
                        + s.client().getClientId() + " from " + s.filter() + ": " + e.getMessage(), e);
            }
        }
    }

    public CampaignService campaigns() {
        return workspace.campaigns();
    }

    public ReleaseStore releases() {
        return workspace.releases();
    }

    public CampaignWorkspace workspace() {
        return workspace;
    }

    /** The OEM's one audit trail, which this worker writes to. */
    public OemAuditTrail auditTrail() {
        return audit;
    }

    public CamelContext camel() {
        return camel;
    }

    /**
     * Stops the routes, puts back what this worker still claimed and gives up its lease (so no other
     * worker waits for it to run out), disconnects, and closes the database.
     */
    @Override
    public void close() {
        try {
            if (camel != null) {
                camel.close();
            }
        } catch (Exception ignored) {
            // stopping anyway
        } finally {
            clients.forEach(MqttClients::closeQuietly);
            try {
                if (leased) {
                    dispatcher.recover();
                    leases.release(worker);
                }
            } catch (RuntimeException databaseGone) {
                // the lease runs out by itself, and another worker takes the claims over then
            } finally {
                workspace.close();
            }
        }
    }
}

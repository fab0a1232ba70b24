package dev.wasmota.routes.oem;

import dev.wasmota.ecu.audit.AuditLog;
import dev.wasmota.oem.campaign.CampaignService;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.FileOutbox;
import dev.wasmota.oem.trust.TrustDistribution;
import dev.wasmota.oem.intake.IntakeOptions;
import dev.wasmota.oem.intake.IntakePipeline;
import dev.wasmota.oem.release.ReleaseStore;
import dev.wasmota.routes.RouteProperties;
import dev.wasmota.routes.Topics;
import dev.wasmota.routes.camel.CamelNodes;
import dev.wasmota.routes.camel.DeadLetterRecorder;
import dev.wasmota.routes.mqtt.HeldMessagesClient;
import dev.wasmota.routes.mqtt.MqttClients;
import dev.wasmota.routes.mqtt.MqttEndpoints;
import dev.wasmota.routes.mqtt.SlowRetrievalRecorder;
import dev.wasmota.signing.pki.OemPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.CamelContext;

/**
 * The OEM side of the pipeline in one process ({@code ota oem serve}): intake of supplier
 * submissions, campaign dispatch to vehicles, status intake, expiry ticks and dead letters, over
 * one broker. Several workers can serve one OEM directory and database: intake and status are
 * shared subscriptions of group {@code {{ota.oem.group}}}, so the broker splits them; outbox
 * files are claimed by atomic rename, so no instruction is sent twice.
 */
public final class OemNode implements AutoCloseable {
    private final OemNodeConfig config;
    private final AuditLog audit;
    private final CampaignWorkspace workspace;
    private final OutboxDispatcher dispatcher;
    private final TrustDistribution trust;
    private final List<HeldMessagesClient> clients = new ArrayList<>();
    private CamelContext camel;

    private OemNode(OemNodeConfig config, AuditLog audit, CampaignWorkspace workspace, OutboxDispatcher dispatcher,
                    TrustDistribution trust) {
        this.config = config;
        this.audit = audit;
        this.workspace = workspace;
        this.dispatcher = dispatcher;
        this.trust = trust;
    }

    /** Opens the OEM directory, connects to the broker and starts the routes. */
    public static OemNode start(OemNodeConfig config) {
        Properties p = config.properties();
        Topics topics = new Topics(p.getProperty("ota.topic.root"));
        String worker = p.getProperty("ota.oem.worker");
        OemPki pki;
        try {
            pki = OemPki.load(config.oemDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OEM keys in " + config.oemDir(), e);
        }
        AuditLog audit = AuditLog.open(config.auditFile(), config.clock());
        OemNode node = null;
        try {
            OutboxDispatcher dispatcher = new OutboxDispatcher(config.oemDir(), worker, pki.trustStore(), topics,
                    config.clock(), Duration.ofMillis(RouteProperties.intValue(p, "ota.dispatch.scanMillis")));
            CampaignWorkspace ws = CampaignWorkspace.open(config.oemDir(), config.dbUrl(), config.clock(), config.random(),
                    "oem-serve:" + worker, Optional.of(audit), Optional.of(dispatcher));
            node = new OemNode(config, audit, ws, dispatcher, new TrustDistribution(pki,
                    new FileOutbox(config.oemDir().resolve(FileOutbox.DIR)), ws.vehicles(), Optional.of(audit),
                    "oem-serve:" + worker));
            node.startRoutes(pki, topics, worker, p);
            return node;
        } catch (RuntimeException | Error e) {
            if (node != null) {
                node.close();
            } else {
                audit.close();
            }
            throw e;
        }
    }

    private void startRoutes(OemPki pki, Topics topics, String worker, Properties p) {
        dispatcher.recover();
        int qos = RouteProperties.intValue(p, "ota.mqtt.qos");
        String group = p.getProperty("ota.oem.group");
        HeldMessagesClient intakeClient = connect(worker + "-intake", true, true);
        HeldMessagesClient statusClient = connect(worker + "-status", true, true);
        HeldMessagesClient outClient = connect(worker + "-out", false, false);
        camel = CamelNodes.create("oem-" + worker, p, config.registry());
        IntakeOptions intakeOptions = config.intakeOptions().toBuilder().clock(config.clock()).audit(audit).build();
        OemRoutes.Endpoints endpoints = new OemRoutes.Endpoints(
                MqttEndpoints.consumer(camel, "oem-intake-in", Topics.shared(group, topics.submitFilter()), intakeClient, qos),
                MqttEndpoints.consumer(camel, "oem-status-in", Topics.shared(group, topics.statusFilter()), statusClient, qos),
                MqttEndpoints.producer(camel, "oem-out", topics.oemDeadLetter(), outClient, qos),
                topics.releases());
        try {
            camel.addRoutes(new OemRoutes(endpoints,
                    new IntakeHandler(new IntakePipeline(pki, intakeOptions), workspace.releases(), pki, topics, config.clock()),
                    new StatusHandler(workspace.campaigns(), pki.trustStore(), topics, config.clock()),
                    dispatcher, new CampaignTicker(workspace.campaigns(), this::distributeTrustUpdate),
                    new DeadLetterRecorder(audit, "oem-serve:" + worker, topics.oemDeadLetter(), config.clock(),
                            config.registry())));
            camel.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the OEM routes: " + e.getMessage(), e);
        }
    }

    private HeldMessagesClient connect(String clientId, boolean persistent, boolean manualAcks) {
        String actor = "oem-serve:" + config.properties().getProperty("ota.oem.worker");
        HeldMessagesClient c = MqttClients.connect(config.mqtt().withSlowRetrievalListener(
                new SlowRetrievalRecorder(audit, actor, "oem", config.registry())), clientId, persistent, manualAcks);
        clients.add(c);
        return c;
    }

    /**
     * Queues the trust update in {@code vehicle-trust/} (written by {@code ota oem revoke}) to every
     * registered vehicle if it was not queued yet, and hands it to the dispatcher at once; the
     * campaign tick calls this too. Returns how many vehicles it was queued to.
     */
    public int distributeTrustUpdate() {
        List<java.nio.file.Path> queued = trust.queueIfNew();
        dispatcher.enqueue(queued);
        return queued.size();
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

    public AuditLog auditLog() {
        return audit;
    }

    public CamelContext camel() {
        return camel;
    }

    /** Stops the routes, disconnects, and closes the database and the audit log. */
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
                workspace.close();
            } finally {
                audit.close();
            }
        }
    }
}

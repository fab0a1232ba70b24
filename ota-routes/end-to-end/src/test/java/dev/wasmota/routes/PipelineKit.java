package dev.wasmota.routes;

import dev.wasmota.transport.NoDelaySocketFactory;

import dev.wasmota.protocol.RouteProperties;
import dev.wasmota.protocol.Topics;

import dev.wasmota.signing.pki.Credential;

import dev.wasmota.broker.Broker;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.oem.audit.OemAuditTrail;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.OutboxQueue;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.intake.IntakeOptions;
import dev.wasmota.oem.release.Release;
import dev.wasmota.transport.MqttSettings;
import dev.wasmota.routes.oem.OemNode;
import dev.wasmota.routes.oem.OemNodeConfig;
import dev.wasmota.routes.supplier.SubmitResult;
import dev.wasmota.routes.supplier.SupplierClient;
import dev.wasmota.routes.vehicle.VehicleNode;
import dev.wasmota.protocol.wire.Submission;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.Packager;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.protocol.tls.TlsMaterial;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A whole pipeline on one broker for end-to-end tests: the test fixtures' OEM PKI and supplier
 * {@code acme}, one OEM worker, vehicles {@code veh-N} (each with its own ECU host state, its own
 * key and MQTT session), and a supplier client. All parties share a fixed clock; every test gets
 * its own topic root, so tests can share one broker.
 */
final class PipelineKit implements AutoCloseable {
    static final Clock CLOCK = Clock.fixed(Fixtures.T0.plus(Duration.ofHours(1)), ZoneOffset.UTC);
    private static final AtomicInteger ROOTS = new AtomicInteger();
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    final Path dir;
    final Fixtures fx;
    final OemPki pki;
    final Broker broker;
    final MqttSettings mqtt;
    final Map<String, String> settings;
    final Topics topics;
    final List<OemNode> oems = new ArrayList<>();
    final Map<String, EcuHost> hosts = new LinkedHashMap<>();
    final Map<String, VehicleNode> vehicles = new LinkedHashMap<>();
    /** What every OEM worker of the kit told its operator. */
    final List<dev.wasmota.transport.ServiceEvent> oemEvents = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The credential each vehicle was last started with (a new one at each start). */
    final Map<String, Credential> credentials = new LinkedHashMap<>();
    /** Each started vehicle's meters. */
    final Map<String, SimpleMeterRegistry> registries = new LinkedHashMap<>();
    /** How vehicles reach the broker, applied to each one's settings as it starts (e.g. through a hostile proxy). */
    java.util.function.UnaryOperator<MqttSettings> vehicleLink = java.util.function.UnaryOperator.identity();
    private final String dbUrl;
    private final boolean tls;
    /** This test's own connection to the OEM database, to look at the outbox and the trail while workers run. */
    private CampaignDatabase database;

    PipelineKit(Path dir, Broker broker) throws java.security.NoSuchAlgorithmException {
        this(dir, broker, false);
    }

    /**
     * With {@code tls}, every party connects to the broker's TLS listener with its own client
     * certificate from the OEM root, under the standard topic root (the broker's access rules are
     * made for the root its settings name); without, each kit takes a root of its own.
     */
    PipelineKit(Path dir, Broker broker, boolean tls) throws java.security.NoSuchAlgorithmException {
        this(dir, new Fixtures(dir), broker, tls);
    }

    /** A kit on fixtures made beforehand in {@code dir} (e.g. to issue the broker's certificate first). */
    PipelineKit(Path dir, Fixtures fx, Broker broker, boolean tls) throws java.security.NoSuchAlgorithmException {
        this(dir, fx, broker, tls, tls ? Topics.DEFAULT_ROOT
                : "t" + ROOTS.incrementAndGet() + "x" + Long.toHexString(System.nanoTime() & 0xffffff));
    }

    /** A kit whose parties all run under topic root {@code root} (a TLS broker must have been started with it). */
    PipelineKit(Path dir, Fixtures fx, Broker broker, boolean tls, String root) throws java.security.NoSuchAlgorithmException {
        this(dir, fx, broker, tls, root, CampaignDatabase.defaultUrl(dir.resolve("oem")));
    }

    /** A kit whose OEM workers share the database at {@code dbUrl}. */
    PipelineKit(Path dir, Fixtures fx, Broker broker, boolean tls, String root, String dbUrl)
            throws java.security.NoSuchAlgorithmException {
        this.dir = dir;
        this.fx = fx;
        try {
            this.pki = OemPki.load(dir.resolve("oem"), fx.clock, Fixtures.seeded(77));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.broker = broker;
        this.tls = tls;
        this.mqtt = tls ? MqttSettings.of(broker.tlsUrl().orElseThrow(), javax.net.ssl.SSLContext.getDefault().getSocketFactory())
                : MqttSettings.of(broker.url());
        this.topics = new Topics(root);
        this.settings = new LinkedHashMap<>(settings(root));
        this.dbUrl = dbUrl;
    }

    /** The route settings every party of a kit on topic root {@code root} runs with. */
    static Map<String, String> settings(String root) {
        return Map.of("ota.topic.root", root, "ota.dispatch.scanMillis", "300", "ota.route.redeliveryDelayMillis", "50");
    }

    /**
     * The OEM database, shared by every OEM worker of the kit and this test (the default H2 file
     * serves the other processes of this machine).
     */
    String dbUrl() {
        return dbUrl;
    }

    /** This test's connection to the OEM database, opened on first use and closed with the kit. */
    synchronized CampaignDatabase database() {
        if (database == null) {
            database = CampaignDatabase.open(dbUrl, CLOCK);
        }
        return database;
    }

    /** The OEM's one audit trail, as any worker writes it. */
    OemAuditTrail trail() {
        return new OemAuditTrail(database(), CLOCK);
    }

    /** The OEM's outbox, as the workers claim and send from it. */
    OutboxQueue outbox() {
        return new OutboxQueue(database(), CLOCK);
    }

    /** How many outbox messages are in {@code state}. */
    int outbox(OutboxQueue.State state) {
        return outbox().in(state).size();
    }

    /** The signed instructions the OEM sent {@code vehicle} (acknowledged by the broker), in the order they went out. */
    List<byte[]> sentInstructions(String vehicle) {
        OutboxQueue q = outbox();
        return q.of(vehicle).stream()
                .filter(e -> e.state() == OutboxQueue.State.SENT && e.kind() == OutboxQueue.Kind.INSTRUCTION)
                .map(e -> q.payload(e.id()).orElseThrow()).toList();
    }

    Properties properties() {
        return RouteProperties.with(settings);
    }

    /**
     * Starts OEM worker {@code worker} on the shared database: the first worker on the kit's OEM
     * directory, each other one on its own copy of the keys ({@link #oemDirOf}), as workers on
     * other machines would run.
     */
    OemNode startOem(String worker) {
        return startOem(worker, Map.of());
    }

    /** Starts OEM worker {@code worker} with {@code more} settings besides the kit's. */
    OemNode startOem(String worker, Map<String, String> more) {
        Map<String, String> s = new LinkedHashMap<>(settings);
        s.putAll(more);
        s.put("ota.oem.worker", worker);
        OemNodeConfig c = OemNodeConfig.of(oems.isEmpty() ? dir.resolve("oem") : oemDirOf(worker), mqttFor(pki.issueClient(ClientKind.OEM, worker))).withProperties(s).withDatabase(dbUrl)
                .withClock(CLOCK, new Random(oems.size() + 1))
                .withIntake(IntakeOptions.builder().soakTicks(200).build())
                .withRegistry(new SimpleMeterRegistry()).withEvents(oemEvents::add);
        OemNode node = OemNode.start(c);
        oems.add(node);
        return node;
    }

    OemNode oem() {
        return oems.get(0);
    }

    /** Worker {@code worker}'s own OEM directory: the keys and trust anchors of the kit's, copied once. */
    Path oemDirOf(String worker) {
        Path from = dir.resolve("oem");
        Path to = dir.resolve("oem-" + worker);
        if (java.nio.file.Files.exists(to)) {
            return to;
        }
        try (java.util.stream.Stream<Path> all = java.nio.file.Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (p.startsWith(from.resolve("campaigns")) || p.startsWith(from.resolve("outbox"))) {
                    continue;
                }
                if (java.nio.file.Files.isDirectory(p)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }

    /** Registers vehicle {@code id} (hardware ecu-a) with the OEM, opens its host and connects it. */
    VehicleNode startVehicle(String id) {
        return startVehicle(id, VehicleNode.Options.standalone());
    }

    /**
     * Opens vehicle {@code id}'s host and connects it as {@code options} say (e.g. a slow link);
     * registers it with the OEM when an OEM runs in this JVM (otherwise that is the caller's job).
     */
    VehicleNode startVehicle(String id, VehicleNode.Options options) {
        if (!oems.isEmpty() && oem().campaigns().vehicles().find(id).isEmpty()) {
            oem().campaigns().vehicles().register(id, "ecu-a");
        }
        EcuHost host = hosts.computeIfAbsent(id, v -> EcuHost.open(HostConfig.builder(dir.resolve("vehicles").resolve(v),
                fx.oem.trustStore()).identity(new HostIdentity("ecu-a", v)).clock(CLOCK).build(), QUIET));
        Credential credential = credential(id);
        credentials.put(id, credential);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registries.put(id, registry);
        VehicleNode node = VehicleNode.start(id, host, credential, vehicleLink.apply(mqttFor(credential)), properties(), CLOCK,
                registry, options);
        vehicles.put(id, node);
        return node;
    }

    /** How many of {@code ids} run {@code version} in their active slot. */
    int running(List<String> ids, String version) {
        int n = 0;
        for (String id : ids) {
            List<dev.wasmota.ecu.slots.ModuleState> m = hosts.get(id).modules();
            if (!m.isEmpty() && m.get(0).activeMetadata().version().equals(version)) {
                n++;
            }
        }
        return n;
    }

    /** Disconnects vehicle {@code id}; its session (and anything queued for it) stays with the broker. */
    void stopVehicle(String id) {
        vehicles.remove(id).close();
    }

    /** The broker settings for a party holding {@code credential}: its TLS client certificate when the kit runs TLS. */
    MqttSettings mqttFor(Credential credential) {
        return tls ? mqtt.withSocketFactory(NoDelaySocketFactory.tls(TlsMaterial.of(credential, List.of(), pki.root().cert()).sslContext()))
                : mqtt;
    }

    Credential credential(String vehicleId) {
        return pki.issueClient(ClientKind.VEHICLE, vehicleId);
    }

    /** healthy at {@code version}, signed by acme. */
    ModulePackage healthy(String version, long securityVersion, String wasm) {
        return fx.supplierSigned(Packager.build(Fixtures.wasm(wasm), Fixtures.spec("healthy", version, securityVersion,
                Fixtures.HEALTHY_CAPS)), fx.acme);
    }

    /** Submits {@code pkg} as acme over MQTT and waits for the intake result. */
    SubmitResult submit(ModulePackage pkg) throws InterruptedException {
        return submit(pkg, "acme");
    }

    /** Submits {@code pkg} on supplier {@code supplierId}'s topic over MQTT and waits for the intake result. */
    SubmitResult submit(ModulePackage pkg, String supplierId) throws InterruptedException {
        try (SupplierClient s = SupplierClient.connect(supplierId, mqttFor(pki.issueClient(ClientKind.SUPPLIER, supplierId)),
                properties())) {
            s.submit(new Submission(PackageFile.toBytes(pkg), Optional.empty()));
            return s.awaitResult(Duration.ofSeconds(60));
        }
    }

    /** Creates and starts a campaign of {@code release} to {@code vehicleIds} in {@code waves}. */
    Campaign campaign(Release release, List<String> vehicleIds, String waves) {
        Campaign c = oem().campaigns().create(CampaignSpec.builder(release.id(), Targets.vehicles(vehicleIds),
                WavePlan.parse(waves)).build());
        return oem().campaigns().start(c.id());
    }

    /** Fails with the intake's refusal (check and detail) when {@code result} is not an acceptance. */
    static void assertAccepted(dev.wasmota.routes.supplier.SubmitResult result) {
        org.junit.jupiter.api.Assertions.assertTrue(result.accepted(), () -> "the intake refused: " + result);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(25);
        }
    }

    @Override
    public void close() {
        vehicles.values().forEach(VehicleNode::close);
        hosts.values().forEach(EcuHost::close);
        oems.forEach(OemNode::close);
        synchronized (this) {
            if (database != null) {
                database.close();
            }
        }
    }
}

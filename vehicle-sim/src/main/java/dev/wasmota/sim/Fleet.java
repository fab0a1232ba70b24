package dev.wasmota.sim;

import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.EmbeddedBroker;
import dev.wasmota.ecu.sandbox.CompiledModuleCache;
import dev.wasmota.oem.intake.IntakeOptions;
import dev.wasmota.protocol.RouteProperties;
import dev.wasmota.protocol.Topics;
import dev.wasmota.transport.camel.CamelNodes;
import dev.wasmota.transport.MqttSettings;
import dev.wasmota.routes.oem.OemNode;
import dev.wasmota.routes.oem.OemNodeConfig;
import dev.wasmota.oem.pki.OemPki;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.apache.camel.CamelContext;

/**
 * A simulated fleet on the real pipeline in one process: the broker (embedded unless given), the
 * OEM (its PKI, release store, campaign database and routes) and the supplier when this simulator
 * runs them, and this simulator's share of the vehicles, each a real ECU host with its own state,
 * key and MQTT sessions. Vehicles share one Camel context and the compiled modules, so memory per
 * vehicle stays small.
 */
public final class Fleet implements AutoCloseable {
    private static final Duration DRIVE_PERIOD = Duration.ofMillis(50);
    /** Vehicles per Camel context: measured, adding routes to one context of thousands serialises the fleet's start. */
    static final int VEHICLES_PER_CONTEXT = 64;

    private final FleetConfig config;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Map<String, SimVehicle> vehicles = new LinkedHashMap<>();
    private final FleetEvents events = new FleetEvents();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "sim-scheduler");
        t.setDaemon(true);
        return t;
    });
    private final Random random;
    private final long startNanos = System.nanoTime();
    private Broker broker;
    private OemPki pki;
    private OemNode oem;
    private SimSupplier supplier;
    private MqttSettings mqtt;
    private Properties properties;
    private Topics topics;
    private FleetContext context;
    private Tap tap;

    private Fleet(FleetConfig config) {
        this.config = config;
        this.random = new Random(config.seed());
    }

    /** Starts everything; {@code progress} hears how many vehicles are connected so far. */
    public static Fleet start(FleetConfig config, IntConsumer progress) {
        Fleet f = startWithoutVehicles(config);
        try {
            f.connectVehicles(progress);
            return f;
        } catch (RuntimeException | Error e) {
            f.close();
            throw e;
        }
    }

    /** Starts the broker, the OEM and the supplier; the vehicles come with {@link #connectVehicles}. */
    public static Fleet startWithoutVehicles(FleetConfig config) {
        Fleet f = new Fleet(config);
        try {
            f.startParts();
            return f;
        } catch (RuntimeException | Error e) {
            f.close();
            throw e;
        }
    }

    private void startParts() {
        Clock clock = Clock.systemUTC();
        properties = RouteProperties.with(config.settings());
        topics = new Topics(properties.getProperty("ota.topic.root"));
        Path oemDir = config.oemDir().orElse(config.dir().resolve("oem"));
        try {
            Files.createDirectories(config.dir());
            pki = config.oemDir().isPresent() ? OemPki.load(oemDir, clock, new SecureRandom())
                    : OemPki.create(oemDir, clock, new SecureRandom());
            if (config.brokerUrl().isEmpty()) {
                broker = EmbeddedBroker.start(BrokerSettings.builder(Files.createDirectories(config.dir().resolve("broker")))
                        .port(0).topics(topics).build());
                open.add(broker);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the simulator in " + config.dir() + ": " + e.getMessage(), e);
        }
        mqtt = MqttSettings.of(config.brokerUrl().orElseGet(() -> broker.url()), properties);
        MeterRegistry registry = new SimpleMeterRegistry();
        if (config.runsOem()) {
            OemNodeConfig oemConfig = OemNodeConfig.of(oemDir, mqtt).withProperties(config.settings())
                    .withIntake(IntakeOptions.defaults()).withRegistry(registry);
            oem = OemNode.start(config.oemDatabase().map(oemConfig::withDatabase).orElse(oemConfig));
            open.add(oem);
            for (int n = 1; n <= config.vehicles(); n++) {
                String id = FleetConfig.vehicleId(n);
                if (oem.campaigns().vehicles().find(id).isEmpty()) {
                    oem.campaigns().vehicles().register(id, SimVehicle.HARDWARE);
                }
            }
            supplier = SimSupplier.enroll("acme", pki, clock);
        }
        context = new FleetContext(config.dir(), mqtt, properties, i -> camelFor(i, registry), new CompiledModuleCache(), pki.trustStore(), pki,
                clock, scheduler, registry, events, config.runModules());
    }

    private final Map<Integer, CamelContext> contexts = new java.util.concurrent.ConcurrentHashMap<>();

    private CamelContext camelFor(int vehicleIndex, MeterRegistry registry) {
        return contexts.computeIfAbsent(vehicleIndex / VEHICLES_PER_CONTEXT, k -> {
            CamelContext c = CamelNodes.create("fleet-" + k, properties, registry);
            c.start();
            synchronized (open) {
                open.add(c);
            }
            return c;
        });
    }

    /** Connects this simulator's vehicles, 32 at a time; {@code progress} hears how many are up. */
    public void connectVehicles(IntConsumer progress) {
        startVehicles(progress);
        try {
            tap = new Tap(mqtt, topics, vehicles, events, scheduler,
                    sha -> oem == null ? java.util.Optional.empty() : oem.releases().packageBytes(sha));
            open.add(tap);
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            throw new IllegalStateException("the simulator's tap cannot connect: " + e.getMessage(), e);
        }
        scheduler.scheduleAtFixedRate(this::drive, 0, DRIVE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void startVehicles(IntConsumer progress) {
        List<String> ids = new ArrayList<>();
        for (int n = config.firstVehicle(); n <= config.lastVehicle(); n++) {
            ids.add(FleetConfig.vehicleId(n));
        }
        Map<String, Set<InjectedFault>> faults = config.faults().assign(ids, random);
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            vehicles.put(id, new SimVehicle(id, config.firstVehicle() + i, faults.getOrDefault(id, Set.of()), context,
                    new Random(random.nextLong())));
        }
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (SimVehicle v : vehicles.values()) {
                started.add(pool.submit(v::start));
            }
            int done = 0;
            for (Future<?> f : started) {
                f.get();
                progress.accept(++done);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting the vehicles");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    private void drive() {
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        for (SimVehicle v : vehicles.values()) {
            v.drive(millis);
        }
    }

    /** Takes the vehicles drawn for a network drop off the network for 2-5 s each. */
    void dropNetworks() {
        for (SimVehicle v : vehicles.values()) {
            if (v.faults.contains(InjectedFault.NETWORK_DROP)) {
                v.dropNetwork(Duration.ofMillis(2_000 + random.nextInt(3_000)));
            }
        }
    }

    Tap tap() {
        return tap;
    }

    public Optional<OemNode> oem() {
        return Optional.ofNullable(oem);
    }

    public Optional<SimSupplier> supplier() {
        return Optional.ofNullable(supplier);
    }

    Map<String, SimVehicle> vehicles() {
        return vehicles;
    }

    FleetEvents events() {
        return events;
    }

    /** The OEM's keys (the simulator's own OEM, or the one it was pointed at), to issue vehicle certificates. */
    public OemPki pki() {
        return pki;
    }

    /** The topic layout this simulator runs under. */
    public Topics topicLayout() {
        return topics;
    }

    public MqttSettings mqtt() {
        return mqtt;
    }

    public Properties properties() {
        return properties;
    }

    Topics topics() {
        return topics;
    }

    public String brokerUrl() {
        return mqtt.brokerUrl();
    }

    /** Vehicle ids of the whole fleet (all shards). */
    public List<String> allVehicleIds() {
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= config.vehicles(); n++) {
            ids.add(FleetConfig.vehicleId(n));
        }
        return ids;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (SimVehicle v : vehicles.values()) {
            pool.submit(() -> closeQuietly(v));
        }
        pool.shutdown();
        try {
            pool.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (open) {
            for (int i = open.size() - 1; i >= 0; i--) {
                closeQuietly(open.get(i));
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // shutting down anyway
        }
    }
}

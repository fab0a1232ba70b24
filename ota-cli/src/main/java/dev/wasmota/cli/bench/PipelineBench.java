package dev.wasmota.cli.bench;

import dev.wasmota.broker.Broker;
import dev.wasmota.broker.BrokerSettings;
import dev.wasmota.broker.EmbeddedBroker;
import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.HostConfig;
import dev.wasmota.ecu.HostIdentity;
import dev.wasmota.contract.stats.Percentiles;
import dev.wasmota.ecu.sandbox.CompiledModuleCache;
import dev.wasmota.oem.campaign.Action;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.intake.IntakeOptions;
import dev.wasmota.oem.release.Release;
import dev.wasmota.protocol.RouteProperties;
import dev.wasmota.transport.MqttSettings;
import dev.wasmota.routes.oem.OemNode;
import dev.wasmota.routes.oem.OemNodeConfig;
import dev.wasmota.routes.supplier.SubmitResult;
import dev.wasmota.routes.supplier.SupplierClient;
import dev.wasmota.routes.vehicle.VehicleNode;
import dev.wasmota.protocol.wire.Submission;
import dev.wasmota.cli.CliFiles;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageSigner;
import dev.wasmota.signing.pkg.PackageSpec;
import dev.wasmota.signing.pkg.Packager;
import dev.wasmota.signing.pki.ClientKind;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.signing.pki.SupplierKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.bouncycastle.cert.X509CertificateHolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ota bench pipeline}: submit-to-committed latency over the real pipeline in one process:
 * embedded broker, an OEM worker, N vehicles each with its own ECU host, MQTT session and key.
 * Each run submits a new version as the supplier, waits for the intake result, rolls it out to
 * every vehicle in one wave and waits until all have committed. Prints the median of the runs
 * per fleet size, split into intake (submit → release) and rollout (campaign start → all committed).
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"Measures submit-to-committed latency over MQTT for one vehicle and for a fleet.",
                "%nEmbedded broker, one OEM worker and the vehicles in this process. Each run: supplier submits a new"
                        + " version, OEM integrates and countersigns it, one campaign wave rolls it out, every vehicle"
                        + " installs it and reports. Medians per fleet size.%n"})
public final class PipelineBench implements java.util.concurrent.Callable<Integer> {
    private static final String CAPABILITIES = "log,clock,can.read:120,can.write:220";
    private static final Duration WAIT = Duration.ofMinutes(5);

    @Spec
    CommandSpec spec;

    @Option(names = "--vehicles", paramLabel = "LIST", split = ",", defaultValue = "1,100",
            description = "fleet sizes, ascending (default: ${DEFAULT-VALUE})")
    int[] fleets;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "measured runs per fleet size (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--wasm", paramLabel = "FILE", defaultValue = "${sys:ota.home:-.}/testdata/wasm/healthy_v1.wasm",
            description = "module to roll out (default: ${DEFAULT-VALUE})")
    Path wasm;

    @Option(names = "--soak-ticks", paramLabel = "N", defaultValue = "" + IntakeOptions.DEFAULT_SOAK_TICKS,
            description = "intake soak ticks per submission (default: ${DEFAULT-VALUE})")
    int soakTicks;

    private int nextVersion;

    @Override
    public Integer call() throws Exception {
        int[] sizes = fleets.clone();
        Arrays.sort(sizes);
        if (runs < 1 || sizes.length == 0 || sizes[0] < 1 || sizes[sizes.length - 1] > 2000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--runs must be at least 1 and --vehicles between 1 and 2000");
        }
        byte[] module = CliFiles.readBounded(spec.commandLine(), wasm, Manifest.MAX_WASM_LENGTH, "module");
        PrintWriter out = spec.commandLine().getOut();
        Path tmp = Files.createTempDirectory("ota-bench-pipeline");
        Clock clock = Clock.systemUTC();
        OemPki oem = OemPki.create(tmp.resolve("oem"), clock, new SecureRandom());
        Supplier supplier = Supplier.enroll(oem, clock);
        List<AutoCloseable> open = new ArrayList<>();
        try (Broker broker = EmbeddedBroker.start(BrokerSettings.builder(Files.createDirectories(tmp.resolve("broker")))
                .port(0).maxMessageBytes(MqttSettings.DEFAULT_MAX_MESSAGE_BYTES + 1024).build())) {
            MqttSettings mqtt = MqttSettings.of(broker.url());
            Properties props = RouteProperties.with(Map.of());
            OemNode node = OemNode.start(OemNodeConfig.of(tmp.resolve("oem"), mqtt)
                    .withIntake(IntakeOptions.builder().soakTicks(soakTicks).build()));
            open.add(node);
            CompiledModuleCache compiled = new CompiledModuleCache();
            List<String> vehicles = new ArrayList<>();
            out.printf("broker %s, module %s (%d bytes), %d soak ticks%n", broker.url(), wasm.getFileName(), module.length,
                    soakTicks);
            for (int n : sizes) {
                startVehicles(n, vehicles, node, oem, compiled, mqtt, props, clock, tmp, open, out);
                runFleet(n, vehicles, node, supplier, module, mqtt, props, out);
            }
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                closeQuietly(open.get(i));
            }
            deleteTree(tmp);
        }
        return 0;
    }

    private void runFleet(int n, List<String> vehicles, OemNode node, Supplier supplier, byte[] module, MqttSettings mqtt,
                          Properties props, PrintWriter out) throws InterruptedException {
        long[] intake = new long[runs];
        long[] rollout = new long[runs];
        long[] total = new long[runs];
        try (SupplierClient client = SupplierClient.connect(Supplier.ID, mqtt, props)) {
            for (int r = -1; r < runs; r++) {
                int v = ++nextVersion;
                byte[] pkg = supplier.sign(module, "1.0." + v, v);
                long t0 = System.nanoTime();
                client.submit(new Submission(pkg, Optional.empty()));
                SubmitResult result = client.awaitResult(WAIT);
                if (!result.accepted()) {
                    throw new IllegalStateException("the intake refused the bench package: " + result.reason().orElse("?")
                            + " " + result.detail().orElse(""));
                }
                long t1 = System.nanoTime();
                Release release = node.releases().find("bench-module", "1.0." + v).orElseThrow();
                Campaign c = node.campaigns().create(CampaignSpec.builder(release.id(),
                        Targets.vehicles(vehicles.subList(0, n)), WavePlan.parse(Integer.toString(n))).build());
                long t2 = System.nanoTime();
                node.campaigns().start(c.id());
                awaitCommitted(node, c.id(), n);
                long t3 = System.nanoTime();
                String label = r < 0 ? "warm-up" : "run " + (r + 1) + "/" + runs;
                out.printf(Locale.ROOT, "%d vehicles, %s: submit-to-committed %.0f ms (intake %.0f ms, rollout %.0f ms)%n", n,
                        label, (t3 - t0) / 1e6, (t1 - t0) / 1e6, (t3 - t2) / 1e6);
                out.flush();
                if (r >= 0) {
                    intake[r] = t1 - t0;
                    rollout[r] = t3 - t2;
                    total[r] = t3 - t0;
                }
            }
        }
        out.printf(Locale.ROOT, "pipeline_v%d_submit_to_committed_ms=%.0f (median of %d; intake %.0f, rollout %.0f)%n", n,
                Percentiles.of(total).median() / 1e6, runs, Percentiles.of(intake).median() / 1e6,
                Percentiles.of(rollout).median() / 1e6);
        out.printf(Locale.ROOT, "pipeline_v%d_rollout_ms=%.0f (median campaign start to last vehicle committed; min %.0f, max %.0f)%n",
                n, Percentiles.of(rollout).median() / 1e6, Percentiles.of(rollout).min() / 1e6,
                Percentiles.of(rollout).max() / 1e6);
        out.flush();
    }

    private static void awaitCommitted(OemNode node, String campaignId, int n) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<Action> actions = node.campaigns().actions(campaignId);
            long committed = actions.stream().filter(a -> a.status() == Action.Status.COMMITTED).count();
            if (committed == n) {
                return;
            }
            if (actions.stream().anyMatch(a -> a.status() == Action.Status.FAILED || a.status() == Action.Status.ROLLED_BACK)) {
                throw new IllegalStateException("a vehicle failed the bench install: " + actions.stream()
                        .filter(a -> a.status() == Action.Status.FAILED).findFirst().flatMap(Action::cause).orElse("?"));
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("only " + committed + " of " + n + " vehicles committed within " + WAIT);
            }
            Thread.sleep(2);
        }
    }

    private static void startVehicles(int n, List<String> vehicles, OemNode node, OemPki oem, CompiledModuleCache compiled,
                                      MqttSettings mqtt, Properties props, Clock clock, Path tmp, List<AutoCloseable> open,
                                      PrintWriter out) throws Exception {
        if (vehicles.size() >= n) {
            return;
        }
        long start = System.nanoTime();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<AutoCloseable>>> started = new ArrayList<>();
            for (int i = vehicles.size() + 1; i <= n; i++) {
                String id = String.format(Locale.ROOT, "bench-%04d", i);
                vehicles.add(id);
                node.campaigns().vehicles().register(id, "ecu-a");
                started.add(pool.submit(() -> {
                    EcuHost host = EcuHost.open(HostConfig.builder(tmp.resolve("vehicles").resolve(id), oem.trustStore())
                            .identity(new HostIdentity("ecu-a", id)).clock(clock).compiledModules(compiled).build(), quiet);
                    VehicleNode v = VehicleNode.start(id, host, oem.issueClient(ClientKind.VEHICLE, id), mqtt, props, clock,
                            new SimpleMeterRegistry());
                    return List.<AutoCloseable>of(host, v);
                }));
            }
            for (Future<List<AutoCloseable>> f : started) {
                open.addAll(f.get());
            }
        } finally {
            pool.shutdown();
        }
        out.printf(Locale.ROOT, "%d vehicles connected in %.1f s%n", n, (System.nanoTime() - start) / 1e9);
        out.flush();
    }

    private record Supplier(KeyPair keys, List<X509CertificateHolder> chain, Clock clock) {
        static final String ID = "bench";

        static Supplier enroll(OemPki oem, Clock clock) {
            SecureRandom random = new SecureRandom();
            KeyPair keys = SupplierKeys.generate(ID, random);
            X509CertificateHolder cert = oem.enroll(SupplierKeys.request(ID, keys), ID, CapabilitySet.parse(CAPABILITIES),
                    clock.instant(), Duration.ofDays(1), random);
            return new Supplier(keys, List.of(cert, oem.supplierCa().cert()), clock);
        }

        byte[] sign(byte[] module, String version, long securityVersion) {
            PackageSpec spec = new PackageSpec("bench-module", version, securityVersion, PackageSpec.UNASSIGNED,
                    CapabilitySet.parse(CAPABILITIES), 1, 2000, 10, List.of("ecu-a"), Optional.empty());
            return PackageFile.toBytes(new PackageSigner(clock).sign(Packager.build(module, spec), keys.getPrivate(), chain));
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // cleaning up
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

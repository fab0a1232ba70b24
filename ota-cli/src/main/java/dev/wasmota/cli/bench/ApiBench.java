package dev.wasmota.cli.bench;

import dev.wasmota.contract.stats.Percentiles;
import dev.wasmota.oem.api.ApiBackend;
import dev.wasmota.oem.api.ApiServer;
import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignSpec;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.Targets;
import dev.wasmota.oem.campaign.WavePlan;
import dev.wasmota.oem.release.Release;
import dev.wasmota.protocol.tls.TlsMaterial;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.pki.ClientKind;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ota bench api}: requests per second and latency of the management API's campaign detail
 * ({@code GET /api/v1/campaigns/{id}}) for a campaign of N vehicles, over HTTPS with an operator's
 * client certificate, on the embedded H2 database; K clients, each one request at a time.
 */
@Command(name = "api", mixinStandardHelpOptions = true,
        description = {"Measures the management API: campaign detail requests per second and their latency.",
                "%nAn OEM on the embedded H2 database with N registered vehicles and one started campaign to all of"
                        + " them (waves 10%%,100%%); the API over HTTPS on 127.0.0.1; K clients with an operator's"
                        + " certificate, each sending GET /api/v1/campaigns/ID one at a time (keep-alive) for the"
                        + " duration after a warm-up. Prints requests per second, p50, p99 and max latency.%n"})
public final class ApiBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--vehicles", paramLabel = "N", defaultValue = "10000", description = "campaign size (default: ${DEFAULT-VALUE})")
    int vehicles;

    @Option(names = "--clients", paramLabel = "K", defaultValue = "4", description = "concurrent clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "20", description = "measured duration (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "5", description = "warm-up (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--corpus", paramLabel = "DIR", defaultValue = "${sys:ota.home:-.}/testdata/wasm",
            description = "the modules (default: ${DEFAULT-VALUE})")
    Path corpus;

    @Override
    public Integer call() throws Exception {
        if (vehicles < 1 || vehicles > 100_000 || clients < 1 || clients > 64 || seconds < 1 || warmup < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--vehicles 1..100000, --clients 1..64, --seconds >= 1, --warmup-seconds >= 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        try (BenchPackages pkgs = new BenchPackages(CapabilitySet.parse("log,clock,can.read:120,can.write:220"));
             CampaignWorkspace ws = CampaignWorkspace.open(pkgs.oemDir(), Optional.empty(), clock, new SecureRandom(), "bench")) {
            byte[] wasm = Files.readAllBytes(corpus.resolve("healthy_v1.wasm"));
            Release release = ws.releases().publish(pkgs.build(wasm, BenchPackages.spec("healthy", "1.0.0", 1,
                    CapabilitySet.parse("log,clock,can.read:120,can.write:220"))));
            progress(out, "registering %d vehicles", vehicles);
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= vehicles; i++) {
                ids.add(ws.vehicles().register(String.format(Locale.ROOT, "veh-%06d", i), "ecu-a").id());
            }
            Campaign k = ws.campaigns().create(CampaignSpec.builder(release.id(), Targets.vehicles(ids),
                    WavePlan.parse("10%,100%")).id("bench-api").build());
            ws.campaigns().start(k.id());
            progress(out, "campaign %s started: %d vehicles, wave 1 instructed", k.id(), vehicles);
            TlsMaterial serverTls = TlsMaterial.of(ws.pki().issueBroker(List.of("localhost"), List.of("127.0.0.1")),
                    List.of(), ws.pki().root().cert());
            TlsMaterial operator = TlsMaterial.of(ws.pki().issueClient(ClientKind.OPERATOR, "bench"), List.of(),
                    ws.pki().root().cert());
            try (ApiServer api = ApiServer.start("127.0.0.1", 0, serverTls, ApiBackend.of(ws), clock)) {
                URI detail = api.uri().resolve(ApiServer.BASE + "/campaigns/" + k.id());
                run(operator, detail, warmup * 1000L, new ConcurrentLinkedQueue<>());
                ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
                long started = System.nanoTime();
                int failures = run(operator, detail, seconds * 1000L, latencies);
                double elapsed = (System.nanoTime() - started) / 1e9;
                Percentiles p = Percentiles.of(latencies);
                out.printf(Locale.ROOT, "api_campaign_detail_v%d_rps=%.0f (%d clients, %d requests in %.1f s, %d failed)%n",
                        vehicles, p.count() / elapsed, clients, p.count(), elapsed, failures);
                out.printf(Locale.ROOT, "api_campaign_detail_v%d_p50_ms=%.2f p99_ms=%.2f max_ms=%.2f%n", vehicles,
                        p.median() / 1e6, p.percentile(99) / 1e6, p.max() / 1e6);
                out.printf(Locale.ROOT, "api_campaign_detail_v%d_response_bytes=%d%n", vehicles,
                        client(operator).send(HttpRequest.newBuilder(detail).build(), HttpResponse.BodyHandlers.ofByteArray())
                                .body().length);
                out.printf(Locale.ROOT, "# load average at the end: %.2f%n",
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                out.flush();
                return failures == 0 ? 0 : 1;
            }
        }
    }

    /** K clients, each requesting one at a time until {@code millis} have passed; returns how many failed. */
    private int run(TlsMaterial operator, URI detail, long millis, ConcurrentLinkedQueue<Long> latencies) throws Exception {
        AtomicInteger failures = new AtomicInteger();
        long end = System.nanoTime() + millis * 1_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            HttpClient http = client(operator);
            Thread t = new Thread(() -> {
                HttpRequest request = HttpRequest.newBuilder(detail).build();
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() == 200) {
                            latencies.add(System.nanoTime() - t0);
                        } else {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            }, "bench-api-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return failures.get();
    }

    private static HttpClient client(TlsMaterial operator) {
        return HttpClient.newBuilder().sslContext(operator.sslContext()).version(HttpClient.Version.HTTP_1_1).build();
    }

    private static void progress(PrintWriter out, String format, Object... args) {
        out.printf(Locale.ROOT, format + "%n", args);
        out.flush();
    }
}

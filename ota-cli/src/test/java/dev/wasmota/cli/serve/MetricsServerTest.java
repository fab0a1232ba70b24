package dev.wasmota.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.wasmota.transport.Readiness;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheRegistryOnGetMetricsOnly() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("ota.test.things", "kind", "a").increment(3);
        try (MetricsServer server = MetricsServer.start(registry, 0)) {
            assertTrue(server.port() > 0);
            assertEquals("http://127.0.0.1:" + server.port() + "/metrics", server.url());

            HttpResponse<String> ok = send(HttpRequest.newBuilder(URI.create(server.url())));
            assertEquals(200, ok.statusCode());
            assertEquals(MetricsServer.CONTENT_TYPE, ok.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(ok.body().contains("ota_test_things_total{kind=\"a\"} 3"), ok.body());

            HttpResponse<String> elsewhere = send(HttpRequest.newBuilder(URI.create(server.url() + "/more")));
            assertEquals(404, elsewhere.statusCode());
            assertEquals(404, send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))).statusCode());

            HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(server.url()))
                    .POST(HttpRequest.BodyPublishers.ofString("x")));
            assertEquals(405, post.statusCode());
            assertEquals("GET", post.headers().firstValue("Allow").orElseThrow());
        }
    }

    @Test
    void healthAnswersWhileServingAndReadyOnlyOnceEveryCheckHolds() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (MetricsServer server = MetricsServer.start(registry, 0)) {
            URI health = URI.create(server.base() + MetricsServer.HEALTH);
            URI ready = URI.create(server.base() + MetricsServer.READY);

            HttpResponse<String> alive = send(HttpRequest.newBuilder(health));
            assertEquals(200, alive.statusCode());
            assertEquals("alive\n", alive.body());
            HttpResponse<String> starting = send(HttpRequest.newBuilder(ready));
            assertEquals(503, starting.statusCode(), "not ready before the party has started");
            assertEquals("not ready: starting\n", starting.body());

            AtomicBoolean database = new AtomicBoolean(true);
            server.readiness(() -> new Readiness(List.of(new Readiness.Check("broker", true, "connected (3 clients)"),
                    new Readiness.Check("database", database.get(), database.get() ? "reachable" : "not reachable: jdbc:x"))));
            HttpResponse<String> ok = send(HttpRequest.newBuilder(ready));
            assertEquals(200, ok.statusCode());
            assertEquals("ready\nok   broker: connected (3 clients)\nok   database: reachable\n", ok.body());

            database.set(false);
            HttpResponse<String> down = send(HttpRequest.newBuilder(ready));
            assertEquals(503, down.statusCode());
            assertEquals("not ready\nok   broker: connected (3 clients)\nFAIL database: not reachable: jdbc:x\n", down.body());
            assertEquals(200, send(HttpRequest.newBuilder(health)).statusCode(), "alive all the same");

            server.readiness(() -> {
                throw new IllegalStateException("boom");
            });
            assertEquals(503, send(HttpRequest.newBuilder(ready)).statusCode(), "a check that throws is not ready");
            assertEquals(405, send(HttpRequest.newBuilder(ready).POST(HttpRequest.BodyPublishers.noBody())).statusCode());
        }
    }

    @Test
    void bindsToTheAddressGiven() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (MetricsServer server = MetricsServer.start(registry, InetAddress.getByName("0.0.0.0"), 0)) {
            assertEquals("http://0.0.0.0:" + server.port() + "/metrics", server.url());
            HttpResponse<String> viaLoopback = send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + MetricsServer.HEALTH)));
            assertEquals(200, viaLoopback.statusCode(), "every interface, the loopback one included");
        }
        try (MetricsServer loopback = MetricsServer.start(registry, 0)) {
            assertEquals("127.0.0.1", loopback.base().substring(7, 16), "the loopback address by default");
        }
    }
}

package dev.wasmota.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
}

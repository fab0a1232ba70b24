package dev.wasmota.cli.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.wasmota.transport.Readiness;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A serving party's operations endpoints, on the JDK's own HTTP server, GET only (405 otherwise,
 * 404 for any other path):
 * <ul>
 * <li>{@value #PATH}: the Prometheus registry in the text exposition format 0.0.4;</li>
 * <li>{@value #HEALTH}: liveness, 200 while the process serves HTTP at all;</li>
 * <li>{@value #READY}: readiness, 200 when every check of the party's {@link Readiness} holds
 * (broker connected, database reachable, routes started), else 503; one line per check either
 * way. 503 "starting" until the party has started.</li>
 * </ul>
 * Bound to the address given (the loopback address by default); port 0 picks a free port.
 */
public final class MetricsServer implements AutoCloseable {
    public static final String PATH = "/metrics";
    public static final String HEALTH = "/health";
    public static final String READY = "/ready";
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";
    /** Requests served at once: a slow readiness check (a database that does not answer) holds one. */
    private static final int THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;
    private final InetAddress host;
    private volatile Supplier<Readiness> readiness;

    private MetricsServer(HttpServer server, ExecutorService executor, InetAddress host) {
        this.server = server;
        this.executor = executor;
        this.host = host;
    }

    /** Starts serving {@code registry} on 127.0.0.1:{@code port}. */
    public static MetricsServer start(PrometheusMeterRegistry registry, int port) throws IOException {
        return start(registry, InetAddress.getLoopbackAddress(), port);
    }

    /** Starts serving {@code registry} on {@code host}:{@code port}. */
    public static MetricsServer start(PrometheusMeterRegistry registry, InetAddress host, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "ota-metrics-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        MetricsServer s = new MetricsServer(server, executor, host);
        server.createContext("/", exchange -> s.handle(exchange, registry));
        server.start();
        return s;
    }

    /** What {@value #READY} reports from now on (the party's checks, asked at each request). */
    public void readiness(Supplier<Readiness> checks) {
        this.readiness = checks;
    }

    private void handle(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!List.of(PATH, HEALTH, READY).contains(path)) {
                reply(exchange, 404, TEXT, "not found; see " + PATH + ", " + HEALTH + ", " + READY + "\n");
            } else if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                reply(exchange, 405, TEXT, "method not allowed; use GET\n");
            } else if (path.equals(HEALTH)) {
                reply(exchange, 200, TEXT, "alive\n");
            } else if (path.equals(READY)) {
                ready(exchange);
            } else {
                reply(exchange, 200, CONTENT_TYPE, registry.scrape());
            }
        }
    }

    private void ready(HttpExchange exchange) throws IOException {
        Supplier<Readiness> checks = readiness;
        if (checks == null) {
            reply(exchange, 503, TEXT, "not ready: starting\n");
            return;
        }
        Readiness r;
        try {
            r = checks.get();
        } catch (RuntimeException e) {
            reply(exchange, 503, TEXT, "not ready: the checks failed: " + e + "\n");
            return;
        }
        reply(exchange, r.ready() ? 200 : 503, TEXT, (r.ready() ? "ready\n" : "not ready\n") + r.text());
    }

    private static void reply(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The scrape address, {@code http://HOST:PORT/metrics}. */
    public String url() {
        return base() + PATH;
    }

    /** {@code http://HOST:PORT} with the address it was bound to (an IPv6 one in brackets). */
    public String base() {
        String a = host.getHostAddress();
        return "http://" + (a.contains(":") ? "[" + a + "]" : a) + ":" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

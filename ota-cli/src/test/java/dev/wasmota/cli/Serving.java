package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A serve command running through {@link Main#run} in a thread of its own, until {@link #stop}. */
final class Serving {
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern METRICS_URL = Pattern.compile("metrics at (http://\\S+)/metrics");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicInteger code = new AtomicInteger(-1);
    private final Thread thread;
    private final HttpClient http = HttpClient.newHttpClient();
    String banner;
    private String base;

    private Serving(String... args) {
        thread = new Thread(() -> code.set(Main.run(args, CliEnv.system(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))), "serve");
    }

    /** Starts the command; returns once it printed its banner (which must name its metrics address). */
    static Serving start(String... args) throws InterruptedException {
        Serving s = new Serving(args);
        s.thread.start();
        s.banner = s.awaitOutput("serving; stop with Ctrl-C");
        Matcher url = METRICS_URL.matcher(s.banner);
        assertTrue(url.find(), s.banner);
        s.base = url.group(1);
        return s;
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** GET /metrics: 200, the Prometheus text format. */
    String scrape() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        return r.body();
    }

    /** GET {@code path} on the metrics server. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until /metrics shows {@code text}; returns the body. */
    String awaitMeter(String text) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        String body = scrape();
        while (!body.contains(text)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no " + text + " on /metrics:\n" + body);
            }
            Thread.sleep(100);
            body = scrape();
        }
        return body;
    }

    /** Interrupts the command's thread: it must close everything and end with exit 0. */
    void stop() throws InterruptedException {
        thread.interrupt();
        thread.join(WAIT.toMillis());
        assertFalse(thread.isAlive(), "serve stops when its thread is interrupted");
        assertEquals(0, code.get(), () -> "serve exit; stderr: " + err.toString(StandardCharsets.UTF_8));
    }

    /** Waits until standard output holds {@code text}; returns all of it. */
    String awaitOutput(String text) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            String all = out();
            if (all.contains(text)) {
                return all;
            }
            if (!thread.isAlive()) {
                throw new AssertionError("serve ended: " + all + err.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' within " + WAIT + ": " + out() + err.toString(StandardCharsets.UTF_8));
    }
}

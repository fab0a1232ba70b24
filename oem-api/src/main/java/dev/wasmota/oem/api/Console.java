package dev.wasmota.oem.api;

import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live console: one page and its script and style, served from the jar, and the sessions of
 * the browsers that use it. Browsers do not speak TLS with the OEM's Ed25519 certificates, so the
 * console has a listener of its own (loopback by default; {@link ApiServer#openConsole}) on which a
 * person signs in with a link holding a random token the server made for a named operator or
 * viewer. The server keeps only the token's SHA-256; the browser keeps the token in an HttpOnly,
 * SameSite=Strict cookie, and every change it asks for must carry the {@value #CSRF_HEADER} header,
 * which no other site's page can send. The page may run only its own script and style: a strict
 * Content-Security-Policy, no external script, font or style.
 */
final class Console {
    static final String PATH = "/console/";
    static final String COOKIE = "wasmota-console";
    static final String CSRF_HEADER = "X-Wasmota-Console";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Map<String, String> FILES = Map.of("", "index.html", "console.js", "console.js",
            "console.css", "console.css");

    private final Map<String, Caller> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /** A new sign-in token for {@code who}; only its digest is kept. */
    String issue(Caller who) {
        byte[] t = new byte[32];
        random.nextBytes(t);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(t);
        sessions.put(Digests.sha256Hex(token.getBytes(StandardCharsets.US_ASCII)), who);
        return token;
    }

    /** The caller of a console request: its session cookie's; refused without one. */
    Caller caller(RoutingContext ctx) {
        Cookie c = ctx.request().getCookie(COOKIE);
        Optional<Caller> who = c == null ? Optional.empty() : lookup(c.getValue());
        Caller caller = who.orElseThrow(() -> new RejectedException(ApiFailure.NOT_AN_API_CLIENT,
                "no console session: open the console link the server printed"));
        if (ctx.request().method() != HttpMethod.GET && !"1".equals(ctx.request().getHeader(CSRF_HEADER))) {
            throw new RejectedException(ApiFailure.FORBIDDEN, "a change from the console must carry " + CSRF_HEADER);
        }
        return caller;
    }

    private Optional<Caller> lookup(String token) {
        if (token == null || token.length() > 64) {
            return Optional.empty();
        }
        return Optional.ofNullable(sessions.get(Digests.sha256Hex(token.getBytes(StandardCharsets.US_ASCII))));
    }

    /** Serves the page and signs a browser in with {@code ?token=}. */
    void mount(Router router) {
        router.get("/console*").handler(this::serve);
    }

    private void serve(RoutingContext ctx) {
        if (!ctx.request().path().startsWith(PATH)) {
            redirect(ctx.response(), PATH);
            return;
        }
        String token = ctx.request().getParam("token");
        if (token != null) {
            if (lookup(token).isEmpty()) {
                ctx.fail(404);
                return;
            }
            ctx.response().putHeader("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict"
                    + (ctx.request().isSSL() ? "; Secure" : ""));
            redirect(ctx.response(), PATH);
            return;
        }
        String file = FILES.get(ctx.request().path().substring(PATH.length()));
        if (file == null) {
            ctx.fail(404);
            return;
        }
        byte[] body;
        try (InputStream in = Console.class.getResourceAsStream("console/" + file)) {
            body = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            ctx.fail(500);
            return;
        }
        String type = file.endsWith(".html") ? "text/html; charset=utf-8" : file.endsWith(".js")
                ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        secure(ctx.response()).putHeader("Content-Type", type).end(Buffer.buffer(body));
    }

    private static void redirect(HttpServerResponse r, String to) {
        secure(r).setStatusCode(303).putHeader("Location", to).end();
    }

    static HttpServerResponse secure(HttpServerResponse r) {
        return r.putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer").putHeader("X-Frame-Options", "DENY")
                .putHeader("Cache-Control", "no-store");
    }
}

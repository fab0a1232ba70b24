package dev.wasmota.oem.api;

import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.protocol.tls.TlsMaterial;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import dev.wasmota.signing.error.CredentialFailure;
import dev.wasmota.signing.pki.TrustStore;
import org.bouncycastle.cert.X509CertificateHolder;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;

/**
 * The OEM's management API over HTTPS: TLS 1.3 only, a client certificate from the OEM root
 * required in the handshake. Before any route runs, the caller is taken from that certificate
 * ({@link Caller}): anything but an operator or a viewer is refused, a viewer may only read (GET),
 * and a body larger than {@value #MAX_BODY} bytes is refused, each as a problem document. The
 * routes themselves are Camel's REST DSL on the Vert.x HTTP server ({@link ApiRoutes}).
 */
public final class ApiServer implements AutoCloseable {
    public static final String BASE = "/api/v1";
    /** Where the OpenAPI document is served. */
    public static final String OPENAPI_PATH = BASE + "/openapi.json";
    /** How long the revocations read are used before they are read again. */
    public static final Duration DEFAULT_TRUST_RELOAD = Duration.ofSeconds(5);
    /** The largest request body taken. */
    public static final int MAX_BODY = 64 * 1024;

    private final Vertx vertx;
    private final Router router;
    private final HttpServer server;
    private final CamelContext camel;
    private final URI uri;
    private final Console console;
    private volatile URI consoleUri;

    private ApiServer(Vertx vertx, Router router, HttpServer server, CamelContext camel, URI uri, Console console) {
        this.vertx = vertx;
        this.router = router;
        this.server = server;
        this.camel = camel;
        this.uri = uri;
        this.console = console;
    }

    /**
     * Opens the console's own listener on {@code host:port} (0 for a free port): plain HTTP, for
     * loopback or behind the plant's TLS proxy, since browsers do not take the OEM's Ed25519 TLS.
     * Only a browser holding a sign-in link ({@link #consoleLink}) gets past it. Returns its address.
     */
    public synchronized URI openConsole(String host, int port) {
        if (consoleUri != null) {
            return consoleUri;
        }
        HttpServer plain = vertx.createHttpServer(new HttpServerOptions().setMaxHeaderSize(16 * 1024)
                .setMaxInitialLineLength(8 * 1024).setIdleTimeout(60)).requestHandler(router);
        try {
            plain.listen(port, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the console on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        String h = host.contains(":") ? "[" + host + "]" : host;
        consoleUri = URI.create("http://" + h + ":" + plain.actualPort());
        return consoleUri;
    }

    /** A sign-in link to the console for {@code who} (an operator or viewer name as {@code operator/NAME}). */
    public URI consoleLink(String who) {
        if (consoleUri == null) {
            throw new IllegalStateException("the console is not open");
        }
        return consoleUri.resolve(Console.PATH + "?token=" + console.issue(Caller.parse(who)));
    }

    /** Serves {@code oem} on {@code host:port} (0 for any free port) with {@code tls} as the server's credential. */
    public static ApiServer start(String host, int port, TlsMaterial tls, ApiBackend oem, Clock clock) {
        return start(host, port, tls, oem, clock, DEFAULT_TRUST_RELOAD);
    }

    /**
     * As {@link #start(String, int, TlsMaterial, ApiBackend, Clock)}, reading the revocations in
     * force again at most every {@code trustReload} (a trust update is a file read and a signature check).
     */
    public static ApiServer start(String host, int port, TlsMaterial tls, ApiBackend oem, Clock clock, Duration trustReload) {
        Vertx vertx = Vertx.vertx();
        try {
            Router router = Router.router(vertx);
            Revocations revocations = new Revocations(oem.trust(), trustReload.toNanos());
            Console console = new Console();
            router.route().order(-1000).handler(ctx -> admit(ctx, revocations, console));
            console.mount(router);
            router.errorHandler(404, ctx -> problem(ctx, new RejectedException(ApiFailure.NOT_FOUND,
                    "no resource " + PageRequest.clip(ctx.request().path()) + " here")));
            router.errorHandler(405, ctx -> problem(ctx, new RejectedException(ApiFailure.NOT_FOUND,
                    "no method " + ctx.request().method() + " on " + PageRequest.clip(ctx.request().path()))));
            router.errorHandler(413, ctx -> problem(ctx, tooLarge()));
            HttpServer server = vertx.createHttpServer(options(tls)).requestHandler(router);
            server.listen(port, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            int actual = server.actualPort();
            CamelContext camel = new DefaultCamelContext();
            VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
            conf.setBindPort(actual);
            conf.setBindHost(host);
            conf.setMaxBodySize((long) MAX_BODY);
            camel.getRegistry().bind("wasmota-api-http", conf);
            String name = VertxPlatformHttpRouter.getRouterNameFromPort(actual);
            camel.getRegistry().bind(name, new LimitedRouter(vertx, router, name));
            camel.addRoutes(new ApiRoutes(oem, clock));
            camel.start();
            String h = host.contains(":") ? "[" + host + "]" : host;
            return new ApiServer(vertx, router, server, camel, URI.create("https://" + h + ":" + actual), console);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("cannot start the management API on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** {@code https://HOST:PORT}, the address the API answers at. */
    public URI uri() {
        return uri;
    }

    /** Every operation served, as {@code METHOD /path/{param}}: what the OpenAPI document must list. */
    public List<String> routes() {
        List<String> out = new ArrayList<>();
        for (RestDefinition rest : ((ModelCamelContext) camel).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                out.add(verb.asVerb().toUpperCase(Locale.ROOT) + " " + rest.getPath() + verb.getPath());
            }
        }
        return out;
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            camel.close();
        } catch (Exception e) {
            // the server goes down below anyway
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
    }

    private static HttpServerOptions options(TlsMaterial tls) throws GeneralSecurityException {
        char[] password = "in-memory".toCharArray();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(tls.keyStore(password), password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(tls.trustStore());
        return new HttpServerOptions().setSsl(true).setClientAuth(ClientAuth.REQUIRED)
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.3"))
                .setKeyCertOptions(KeyCertOptions.wrap((X509KeyManager) kmf.getKeyManagers()[0]))
                .setTrustOptions(TrustOptions.wrap(tmf.getTrustManagers()[0]))
                .setMaxHeaderSize(16 * 1024).setMaxInitialLineLength(8 * 1024).setIdleTimeout(60);
    }

    /** Who may do what, settled before any route: the caller, a viewer's writes, the body's size. */
    private static void admit(RoutingContext ctx, Revocations revocations, Console console) {
        var request = ctx.request();
        request.headers().remove(ApiRoutes.CALLER_HEADER);
        try {
            Caller who;
            if (request.isSSL()) {
                X509Certificate cert = Caller.peer(request.sslSession());
                who = Caller.of(cert);
                revocations.check(cert, who);
            } else if (request.path().equals("/console") || request.path().startsWith(Console.PATH)) {
                ctx.next();
                return;
            } else {
                who = console.caller(ctx);
            }
            if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD && !who.mayChange()) {
                throw new RejectedException(ApiFailure.FORBIDDEN, who.actor() + " is a viewer: only an operator may "
                        + request.method() + " " + PageRequest.clip(request.path()));
            }
            String length = request.getHeader("Content-Length");
            if (length != null && (length.length() > 12 || Long.parseLong(length.trim()) > MAX_BODY)) {
                throw tooLarge();
            }
            request.headers().set(ApiRoutes.CALLER_HEADER, who.actor());
            ctx.next();
        } catch (RejectedException e) {
            problem(ctx, e);
        } catch (NumberFormatException e) {
            problem(ctx, new RejectedException(ApiFailure.MALFORMED_JSON, "Content-Length is not a number"));
        }
    }

    private static RejectedException tooLarge() {
        return new FieldRejected(ApiFailure.BODY_TOO_LARGE, "body", "the body is larger than " + MAX_BODY + " bytes");
    }

    private static void problem(RoutingContext ctx, RejectedException e) {
        if (ctx.response().ended()) {
            return;
        }
        byte[] body;
        try {
            body = CampaignRequest.JSON.writeValueAsBytes(Problems.of(e, ctx.request().path()));
        } catch (Exception x) {
            body = new byte[0];
        }
        ctx.response().setStatusCode(Problems.status(e.reason())).putHeader("Content-Type", Problems.MEDIA_TYPE)
                .putHeader("Cache-Control", "no-store").putHeader("Connection", "close").end(Buffer.buffer(body));
    }

    /** The revocations in force, read again once {@code reloadNanos} have passed. */
    private static final class Revocations {
        private final java.util.function.Supplier<TrustStore> source;
        private final long reloadNanos;
        private TrustStore store;
        private long readAt;

        Revocations(java.util.function.Supplier<TrustStore> source, long reloadNanos) {
            this.source = source;
            this.reloadNanos = reloadNanos;
        }

        synchronized void check(X509Certificate cert, Caller who) {
            long now = System.nanoTime();
            if (store == null || now - readAt >= reloadNanos) {
                store = source.get();
                readAt = now;
            }
            Optional<String> why;
            try {
                why = store.revocationOf(new X509CertificateHolder(cert.getEncoded()));
            } catch (java.io.IOException | java.security.cert.CertificateEncodingException e) {
                why = Optional.of("its certificate cannot be read");
            }
            if (why.isPresent()) {
                throw new RejectedException(CredentialFailure.CREDENTIAL_REVOKED, who.actor() + "'s credential is revoked: "
                        + why.get());
            }
        }
    }

    /** Camel's router with a bounded body handler (Vert.x's default takes any size). */
    private static final class LimitedRouter extends VertxPlatformHttpRouter {
        LimitedRouter(Vertx vertx, Router router, String name) {
            super(null, vertx, router, name);
        }

        @Override
        public io.vertx.core.Handler<RoutingContext> bodyHandler() {
            return BodyHandler.create().setBodyLimit(MAX_BODY).setHandleFileUploads(false);
        }
    }
}

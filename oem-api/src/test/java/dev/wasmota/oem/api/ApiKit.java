package dev.wasmota.oem.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.oem.campaign.CampaignKit;
import dev.wasmota.oem.campaign.CampaignService;
import dev.wasmota.protocol.tls.TlsMaterial;
import dev.wasmota.signing.pki.ClientKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * A {@link CampaignKit} OEM served by a real {@link ApiServer} over HTTPS on a free port, and
 * HTTPS clients holding certificates issued from the same root: an operator, a viewer, and an OEM
 * worker (a party of the broker, not of the API).
 */
final class ApiKit implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final CampaignKit kit;
    private final Random random = new Random(7);
    final ApiServer server;
    final Client operator;
    final Client viewer;
    final Client worker;

    ApiKit(Path dir) {
        kit = new CampaignKit(dir);
        ApiBackend backend = new ApiBackend(kit.db, kit.releases, kit.audit, this::serviceAs, kit.oem::trustStore);
        TlsMaterial serverTls = TlsMaterial.of(kit.oem.issueBroker(List.of("localhost"), List.of("127.0.0.1")), List.of(),
                kit.oem.root().cert());
        server = ApiServer.start("127.0.0.1", 0, serverTls, backend, kit.clock, java.time.Duration.ZERO);
        operator = client(ClientKind.OPERATOR, "alice");
        viewer = client(ClientKind.VIEWER, "bob");
        worker = client(ClientKind.OEM, "serve-1");
    }

    private CampaignService serviceAs(String who) {
        return CampaignService.builder(kit.db, kit.releases, kit.fx.oem.campaign(), kit.outbox, kit.audit).clock(kit.clock)
                .random(random).actor(who).build();
    }

    Client client(ClientKind kind, String name) {
        return client(TlsMaterial.of(kit.oem.issueClient(kind, name), List.of(), kit.oem.root().cert()));
    }

    Client client(TlsMaterial tls) {
        return new Client(HttpClient.newBuilder().sslContext(tls.sslContext()).connectTimeout(Duration.ofSeconds(10)).build(),
                server.uri());
    }

    /** An HTTPS client of the API. */
    record Client(HttpClient http, URI base) {
        Reply get(String path) {
            return send(HttpRequest.newBuilder(base.resolve(path)).GET());
        }

        Reply post(String path, String json) {
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
        }

        Reply put(String path, String json) {
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .PUT(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
        }

        /** A change by {@code method} (POST or PUT). */
        Reply change(String method, String path, String json) {
            return method.equals("PUT") ? put(path, json) : post(path, json);
        }

        Reply send(HttpRequest.Builder b) {
            try {
                HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A response: status, media type, body. */
    record Reply(int status, String type, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        /** The problem's reason, asserting the response is a problem document. */
        String reason() {
            if (!type.startsWith(Problems.MEDIA_TYPE)) {
                throw new AssertionError("not a problem (" + status + " " + type + "): " + body);
            }
            return json().get("reason").asText();
        }
    }

    @Override
    public void close() {
        server.close();
        kit.close();
    }
}

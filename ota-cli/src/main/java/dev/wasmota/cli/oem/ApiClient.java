package dev.wasmota.cli.oem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.api.ApiFailure;
import dev.wasmota.protocol.tls.TlsMaterial;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * The campaign commands' way to the OEM through its management API ({@code --api URL --tls DIR})
 * instead of the database: HTTPS with the operator's credential. A refusal the API answers with
 * (an RFC 9457 problem) becomes the same refusal the command would have made locally: its reason
 * and exit code.
 */
final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RESPONSE = 4 * 1024 * 1024;

    private final HttpClient http;
    private final URI base;

    ApiClient(URI base, Path tls) {
        TlsMaterial material = TlsMaterial.readPem(tls);
        this.http = HttpClient.newBuilder().sslContext(material.sslContext()).connectTimeout(Duration.ofSeconds(10)).build();
        this.base = base;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(resolve(path)).GET());
    }

    JsonNode post(String path, JsonNode body) {
        HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString());
        return send(HttpRequest.newBuilder(resolve(path)).header("Content-Type", "application/json").POST(p));
    }

    /** A PUT: states (replaces) the resource at {@code path}. */
    JsonNode put(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(resolve(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private URI resolve(String path) {
        return URI.create(base.toString().replaceAll("/+$", "") + path);
    }

    private JsonNode send(HttpRequest.Builder b) {
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RejectedException(ApiFailure.API_UNAVAILABLE, "the management API at " + base
                    + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        JsonNode body;
        try {
            body = r.body().length > MAX_RESPONSE ? null : JSON.readTree(r.body());
        } catch (IOException e) {
            body = null;
        }
        if (r.statusCode() / 100 == 2 && body != null) {
            return body;
        }
        if (body != null && body.hasNonNull("reason") && body.hasNonNull("exitCode")) {
            throw new RejectedException(new Remote(body.get("reason").asText(), exitCode(body.get("exitCode").asInt())),
                    body.path("detail").asText() + (body.hasNonNull("field") ? " (field " + body.get("field").asText() + ")" : ""));
        }
        throw new IllegalStateException("the management API answered HTTP " + r.statusCode() + " without a problem document");
    }

    private static ExitCode exitCode(int code) {
        return Arrays.stream(ExitCode.values()).filter(e -> e.code() == code && e != ExitCode.OK).findFirst()
                .orElse(ExitCode.INTERNAL);
    }

    /** A reason the API named, with the exit code it gave. */
    record Remote(String name, ExitCode exitCode) implements Reason {
    }
}

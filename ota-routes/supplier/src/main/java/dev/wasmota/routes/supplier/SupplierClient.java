package dev.wasmota.routes.supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.protocol.RouteProperties;
import dev.wasmota.protocol.Topics;
import dev.wasmota.transport.camel.CamelNodes;
import dev.wasmota.transport.HeldMessagesClient;
import dev.wasmota.transport.MqttClients;
import dev.wasmota.transport.MqttEndpoints;
import dev.wasmota.transport.MqttSettings;
import dev.wasmota.protocol.wire.Submission;
import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.RouteBuilder;

/**
 * A supplier's side of the pipeline ({@code ota supplier submit}): publishes a submission on the
 * supplier's submit topic and, when asked to, waits for the OEM's intake result on its result
 * topic, matched by the submitted package's SHA-256. It subscribes before it publishes, so a fast
 * answer is not missed.
 */
public final class SupplierClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RESULT_BYTES = 4 * 1024 * 1024;

    private final CamelContext camel;
    private final HeldMessagesClient in;
    private final HeldMessagesClient out;
    private final Endpoint submitOut;
    private volatile CompletableFuture<SubmitResult> waiting = new CompletableFuture<>();
    private volatile String waitingFor = "";

    private SupplierClient(CamelContext camel, HeldMessagesClient in, HeldMessagesClient out, Endpoint submitOut) {
        this.camel = camel;
        this.in = in;
        this.out = out;
        this.submitOut = submitOut;
    }

    /** Connects supplier {@code supplierId} and listens on its result topic. */
    public static SupplierClient connect(String supplierId, MqttSettings mqtt, Properties properties) {
        Topics topics = new Topics(properties.getProperty("ota.topic.root"));
        int qos = RouteProperties.intValue(properties, "ota.mqtt.qos");
        String id = "supplier-" + supplierId + "-" + Long.toHexString(System.nanoTime());
        HeldMessagesClient in = MqttClients.connect(mqtt, id, false, true);
        HeldMessagesClient out = null;
        CamelContext camel = CamelNodes.create(id, properties, new SimpleMeterRegistry());
        try {
            out = MqttClients.connect(mqtt, id + "-out", false);
            Endpoint resultIn = MqttEndpoints.consumer(camel, "supplier-result-in", topics.result(supplierId), in, qos);
            Endpoint submitOut = MqttEndpoints.producer(camel, "supplier-submit-out", topics.submit(supplierId), out, qos);
            SupplierClient client = new SupplierClient(camel, in, out, submitOut);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(resultIn).routeId("supplier-result").bean(client, "result");
                }
            });
            camel.start();
            return client;
        } catch (Exception e) {
            closeQuietly(camel);
            MqttClients.closeQuietly(in);
            MqttClients.closeQuietly(out);
            throw e instanceof RejectedException r ? r
                    : new RejectedException(RouteFailure.BROKER_UNAVAILABLE, "cannot start the supplier route: " + e.getMessage(), e);
        }
    }

    /** Publishes {@code submission}; the broker has it when this returns. */
    public void submit(Submission submission) {
        waitingFor = Digests.sha256Hex(submission.packageFile());
        waiting = new CompletableFuture<>();
        try {
            camel.createProducerTemplate().sendBody(submitOut, submission.encode());
        } catch (RuntimeException e) {
            throw new RejectedException(RouteFailure.BROKER_UNAVAILABLE, "the broker did not take the submission: "
                    + e.getMessage(), e);
        }
    }

    /** Waits for the OEM's intake result of the last submission. */
    public SubmitResult awaitResult(Duration timeout) throws InterruptedException {
        try {
            return waiting.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RejectedException(RouteFailure.TIMED_OUT, "no intake result within " + timeout.toSeconds()
                    + " s; is an OEM worker (ota oem serve) connected to this broker?");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Route bean: completes the wait when the result names the submitted package. */
    public void result(byte[] payload) throws IOException {
        if (payload == null || payload.length > MAX_RESULT_BYTES) {
            return;
        }
        JsonNode n = JSON.readTree(payload);
        if (n != null && waitingFor.equals(n.path("submittedSha256").asText())) {
            waiting.complete(SubmitResult.of(n));
        }
    }

    @Override
    public void close() {
        closeQuietly(camel);
        MqttClients.closeQuietly(in);
        MqttClients.closeQuietly(out);
    }

    private static void closeQuietly(CamelContext c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}

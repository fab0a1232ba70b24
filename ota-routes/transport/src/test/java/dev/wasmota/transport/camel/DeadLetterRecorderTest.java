package dev.wasmota.transport.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditLog;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.protocol.RouteFailure;
import dev.wasmota.protocol.Topics;
import dev.wasmota.transport.ServiceEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one place refusals go: audited, counted by reason and route, told to the operator as one line, turned into a dead letter. */
class DeadLetterRecorderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T08:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<ServiceEvent> events = new ArrayList<>();

    private Exchange exchange(DefaultCamelContext camel, Throwable cause, Integer retries) {
        Exchange ex = new DefaultExchange(camel);
        ex.getIn().setHeader(PahoMqtt5Constants.MQTT_TOPIC, "fleet/vehicle/veh-9/status");
        ex.getIn().setBody("garbage".getBytes(StandardCharsets.UTF_8));
        ex.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
        if (retries != null) {
            ex.getIn().setHeader(Exchange.REDELIVERY_COUNTER, retries);
        }
        return ex;
    }

    @Test
    void aRefusalIsOneRefusedLineNamingTheSenderAndItsReason() throws Exception {
        Path file = dir.resolve("audit.log");
        try (AuditLog log = AuditLog.open(file, CLOCK); DefaultCamelContext camel = new DefaultCamelContext()) {
            DeadLetterRecorder recorder = new DeadLetterRecorder(log, "oem-serve:w1", "fleet/oem/deadletter", CLOCK, registry,
                    new Topics("fleet"), events::add);
            Exchange ex = exchange(camel, new RejectedException(RouteFailure.WRONG_SENDER, "signed by 'vehicle/veh-8'"), null);

            recorder.record(ex);

            assertEquals("fleet/oem/deadletter", ex.getIn().getHeader(PahoMqtt5Constants.CAMEL_PAHO_OVERRIDE_TOPIC));
        }
        assertEquals(1, events.size());
        assertEquals(ServiceEvent.Kind.REFUSED, events.get(0).kind());
        assertEquals("refused status from veh-9: WRONG_SENDER: signed by 'vehicle/veh-8'", events.get(0).text());
        assertEquals(CLOCK.instant(), events.get(0).at());
        AuditRecord r = AuditLog.read(file).get(0);
        assertEquals(AuditEvent.MESSAGE_DEAD_LETTERED, r.event());
        assertEquals("WRONG_SENDER", r.cause());
        assertEquals(1.0, registry.counter(DeadLetterRecorder.METER, "reason", "WRONG_SENDER", "route", "").count());
    }

    @Test
    void aFailureAfterItsRetriesIsADeadLetterLineWithTheRetries() throws Exception {
        try (AuditLog log = AuditLog.open(dir.resolve("audit.log"), CLOCK); DefaultCamelContext camel = new DefaultCamelContext()) {
            DeadLetterRecorder recorder = new DeadLetterRecorder(log, "oem-serve:w1", "fleet/oem/deadletter", CLOCK, registry,
                    new Topics("fleet"), events::add);

            recorder.record(exchange(camel, new IllegalStateException("campaign database: connection refused"), 2));
        }
        assertEquals(ServiceEvent.Kind.DEAD_LETTER, events.get(0).kind());
        assertEquals("dead letter status from veh-9: INTERNAL_ERROR after 2 retries: java.lang.IllegalStateException: "
                + "campaign database: connection refused", events.get(0).text());
    }

    @Test
    void registersEachReasonOfARouteAtZero() {
        DeadLetterRecorder.register(registry, "oem-status", List.of("WRONG_SENDER", "INTERNAL_ERROR"));

        assertEquals(Set.of("WRONG_SENDER", "INTERNAL_ERROR"), Set.copyOf(registry.find(DeadLetterRecorder.METER)
                .tag("route", "oem-status").counters().stream().map(c -> c.getId().getTag("reason")).toList()));
        assertTrue(registry.find(DeadLetterRecorder.METER).counters().stream().allMatch(c -> c.count() == 0));
    }
}

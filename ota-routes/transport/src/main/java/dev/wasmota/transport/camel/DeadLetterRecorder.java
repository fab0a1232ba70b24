package dev.wasmota.transport.camel;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditTrail;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.protocol.DeadLetter;
import dev.wasmota.contract.error.RejectedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;

/**
 * The one place a party's routes send what they refuse: it names the reason (the
 * {@link RejectedException}'s, or {@code INTERNAL_ERROR} for anything else), writes an audit
 * record, counts it ({@value #METER}), and turns the exchange into a {@link DeadLetter} for the
 * party's dead-letter topic.
 */
public final class DeadLetterRecorder {
    public static final String METER = "ota.dead.letters";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";
    /**
     * Exchange property: a refusal that was answered (a status report, an intake result) and must
     * also be dead-lettered, after the answer went out.
     */
    public static final String ALSO = "otaDeadLetterToo";
    /** Exchange property: the original payload, for that dead letter. */
    public static final String ORIGINAL = "otaOriginalPayload";

    private final AuditTrail audit;
    private final String actor;
    private final String topic;
    private final Clock clock;
    private final MeterRegistry registry;

    public DeadLetterRecorder(AuditTrail audit, String actor, String topic, Clock clock, MeterRegistry registry) {
        this.audit = audit;
        this.actor = actor;
        this.topic = topic;
        this.clock = clock;
        this.registry = registry;
    }

    /** Replaces the exchange's body with the dead letter and points it at the dead-letter topic. */
    public void record(Exchange ex) {
        Throwable cause = ex.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause instanceof RejectedException r ? r.reason().name() : INTERNAL_ERROR;
        String detail = cause instanceof RejectedException r ? r.userMessage() : cause == null ? "" : String.valueOf(cause);
        String source = ex.getIn().getHeader(PahoMqtt5Constants.MQTT_TOPIC, String.class);
        String route = ex.getFromRouteId();
        byte[] payload = ex.getIn().getBody(byte[].class);
        DeadLetter letter = new DeadLetter(reason, detail, source, route == null ? "" : route,
                payload == null ? new byte[0] : payload, clock.instant());
        audit.append(AuditRecord.builder(AuditEvent.MESSAGE_DEAD_LETTERED).actor(actor)
                .outcome(AuditRecord.Outcome.REFUSED).cause(reason)
                .detail(truncate(detail, 300) + " (topic " + source + ", route " + route + ", " + letter.payload().length
                        + " bytes)").build());
        Counter.builder(METER).description("messages refused and sent to a dead-letter topic")
                .tag("reason", reason).tag("route", route == null ? "" : route).register(registry).increment();
        ex.getIn().removeHeaders("CamelPahoMqtt5*");
        ex.getIn().setHeader(PahoMqtt5Constants.CAMEL_PAHO_OVERRIDE_TOPIC, topic);
        ex.getIn().setBody(letter.encode());
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}

package dev.wasmota.transport.camel;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditTrail;
import dev.wasmota.audit.AuditRecord;
import dev.wasmota.protocol.DeadLetter;
import dev.wasmota.protocol.Topics;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.transport.ServiceEvent;
import dev.wasmota.transport.ServiceEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Collection;
import org.apache.camel.Exchange;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;

/**
 * The one place a party's routes send what they refuse: it names the reason (the
 * {@link RejectedException}'s, or {@code INTERNAL_ERROR} for anything else), writes an audit
 * record, counts it ({@value #METER}), tells the operator ({@link ServiceEvents}: a refusal as
 * {@code refused status from veh-9: WRONG_SENDER: ...}, anything else as {@code dead letter ...}),
 * and turns the exchange into a {@link DeadLetter} for the party's dead-letter topic.
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
    private final Topics topics;
    private final ServiceEvents events;

    public DeadLetterRecorder(AuditTrail audit, String actor, String topic, Clock clock, MeterRegistry registry) {
        this(audit, actor, topic, clock, registry, Topics.standard(), ServiceEvents.NONE);
    }

    /** A recorder that also tells {@code events}, naming each message's source through {@code topics}. */
    public DeadLetterRecorder(AuditTrail audit, String actor, String topic, Clock clock, MeterRegistry registry, Topics topics,
                              ServiceEvents events) {
        this.audit = audit;
        this.actor = actor;
        this.topic = topic;
        this.clock = clock;
        this.registry = registry;
        this.topics = topics;
        this.events = events;
    }

    /**
     * Registers the dead-letter counter at zero for each of {@code reasons} on {@code route}, so a
     * dashboard shows a reason before its first dead letter.
     */
    public static void register(MeterRegistry registry, String route, Collection<String> reasons) {
        for (String reason : reasons) {
            counter(registry, reason, route);
        }
    }

    private static Counter counter(MeterRegistry registry, String reason, String route) {
        return Counter.builder(METER).description("messages refused and sent to a dead-letter topic")
                .tag("reason", reason).tag("route", route == null ? "" : route).register(registry);
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
        counter(registry, reason, route).increment();
        tell(ex, cause, reason, detail, source);
        ex.getIn().removeHeaders("CamelPahoMqtt5*");
        ex.getIn().setHeader(PahoMqtt5Constants.CAMEL_PAHO_OVERRIDE_TOPIC, topic);
        ex.getIn().setBody(letter.encode());
    }

    private void tell(Exchange ex, Throwable cause, String reason, String detail, String source) {
        String what = source == null ? "message" : topics.describe(source);
        if (cause instanceof RejectedException r) {
            events.emit(clock, ServiceEvent.Kind.REFUSED, "refused " + what + ": " + reason + ": " + truncate(r.getMessage(), 300));
        } else {
            Integer retries = ex.getIn().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
            events.emit(clock, ServiceEvent.Kind.DEAD_LETTER, "dead letter " + what + ": " + reason
                    + (retries == null || retries == 0 ? "" : " after " + retries + " retries") + ": " + truncate(detail, 300));
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}

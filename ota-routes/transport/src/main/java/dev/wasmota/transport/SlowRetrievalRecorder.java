package dev.wasmota.transport;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.audit.AuditTrail;
import dev.wasmota.audit.AuditRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Turns a slow retrieval into a security event for a party: an audit record
 * {@code SECURITY_EVENT} with cause {@value #CAUSE}, and the counter {@value #METER} tagged with the
 * party. The connection itself is already dropped (and logged) by the guard.
 */
public final class SlowRetrievalRecorder implements SlowRetrieval.Listener {
    public static final String CAUSE = "SLOW_RETRIEVAL";
    public static final String METER = "ota.slow.retrievals";
    private static final System.Logger LOG = System.getLogger(SlowRetrievalRecorder.class.getName());

    private final AuditTrail audit;
    private final String actor;
    private final Counter counter;

    public SlowRetrievalRecorder(AuditTrail audit, String actor, String party, MeterRegistry registry) {
        this.audit = audit;
        this.actor = actor;
        this.counter = Counter.builder(METER).description("MQTT connections dropped because a packet trickled")
                .tag("party", party).register(registry);
    }

    @Override
    public void slowRetrieval(SlowRetrieval event) {
        counter.increment();
        try {
            audit.append(AuditRecord.builder(AuditEvent.SECURITY_EVENT).actor(actor).outcome(AuditRecord.Outcome.REFUSED)
                    .cause(CAUSE).detail(event.reason()).build());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, actor + " could not audit a slow retrieval (" + event.reason() + "): " + e);
        }
    }
}

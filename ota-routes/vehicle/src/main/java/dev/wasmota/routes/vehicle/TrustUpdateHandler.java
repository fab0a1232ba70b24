package dev.wasmota.routes.vehicle;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.TrustChange;
import dev.wasmota.protocol.wire.TrustUpdateMessage;
import dev.wasmota.transport.ServiceEvent;
import dev.wasmota.transport.ServiceEvents;
import java.time.Clock;
import org.apache.camel.Exchange;

/**
 * A vehicle's trust update logic: the signed update goes to the ECU host, which verifies it
 * against its provisioned root, stores it and logs {@code TRUST_UPDATED}. A forged, malformed or
 * older update is refused by the host (a security event there) and the refusal propagates, so the
 * route dead-letters it. The update in force delivered again changes nothing. No status report:
 * nothing in a trust update asks for one.
 */
public final class TrustUpdateHandler {
    /** The actor the host's records name. */
    static final String ACTOR = "ota-routes";

    private final EcuHost host;
    private final Clock clock;
    private final ServiceEvents events;

    public TrustUpdateHandler(EcuHost host, Clock clock, ServiceEvents events) {
        this.host = host;
        this.clock = clock;
        this.events = events;
    }

    public TrustChange handle(Exchange ex) {
        TrustUpdateMessage m = TrustUpdateMessage.decode(ex.getIn().getBody(byte[].class));
        TrustChange change = host.applyTrustUpdate(m.trustUpdate(), ACTOR);
        events.emit(clock, ServiceEvent.Kind.TRUST, "trust update " + change.update().sequence()
                + (change.applied() ? " in force (was " + change.fromSequence() + ")" : " already in force: nothing changed"));
        return change;
    }
}

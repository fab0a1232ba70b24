package dev.wasmota.routes.vehicle;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.TrustChange;
import dev.wasmota.protocol.wire.TrustUpdateMessage;
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

    public TrustUpdateHandler(EcuHost host) {
        this.host = host;
    }

    public TrustChange handle(Exchange ex) {
        TrustUpdateMessage m = TrustUpdateMessage.decode(ex.getIn().getBody(byte[].class));
        return host.applyTrustUpdate(m.trustUpdate(), ACTOR);
    }
}

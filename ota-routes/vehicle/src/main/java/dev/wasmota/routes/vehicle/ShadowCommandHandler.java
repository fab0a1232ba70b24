package dev.wasmota.routes.vehicle;

import dev.wasmota.ecu.EcuHost;
import dev.wasmota.ecu.ShadowReport;
import dev.wasmota.protocol.wire.ShadowCommandMessage;
import dev.wasmota.transport.ServiceEvent;
import dev.wasmota.transport.ServiceEvents;
import java.time.Clock;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * A vehicle's shadow commands: an operator's signed promote or discard ({@link ShadowCommandMessage})
 * goes to the ECU host, which verifies it before it parses it and acts only on the running shadow
 * the command's instruction started ({@link EcuHost#shadowCommand}). The body becomes the signed
 * status report of that instruction, as when the shadow's own rule decides: COMMITTED when promoted,
 * FAILED {@code SHADOW_DISCARDED} with the operator's reason when discarded. A refused command
 * (forged, another vehicle's, expired, replayed or stale) propagates, so the route dead-letters it;
 * the host has logged it.
 */
public final class ShadowCommandHandler {
    private final EcuHost host;
    private final RollbackWatch watch;
    private final Clock clock;
    private final ServiceEvents events;

    public ShadowCommandHandler(EcuHost host, RollbackWatch watch, Clock clock, ServiceEvents events) {
        this.host = host;
        this.watch = watch;
        this.clock = clock;
        this.events = events;
    }

    /** Carries the command out; returns the signed reports to send (the shadow's outcome). */
    public List<byte[]> handle(Exchange ex) {
        ex.getIn().removeHeaders("CamelPahoMqtt5*");
        ShadowCommandMessage m = ShadowCommandMessage.decode(ex.getIn().getBody(byte[].class));
        watch.adoptShadows(); // before the shadow ends: started before these routes were, it is answered too
        ShadowReport r = host.shadowCommand(m.command());
        events.emit(clock, ServiceEvent.Kind.STATUS, "shadow command " + r.moduleId() + " " + r.shadowVersion() + ": "
                + r.state() + " (" + r.reason() + ")");
        return watch.check();
    }
}

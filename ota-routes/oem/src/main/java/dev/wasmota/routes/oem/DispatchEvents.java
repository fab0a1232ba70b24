package dev.wasmota.routes.oem;

import dev.wasmota.oem.campaign.OutboxQueue;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.pki.TrustUpdate;
import dev.wasmota.transport.ServiceEvent;
import dev.wasmota.transport.ServiceEvents;
import java.time.Clock;

/**
 * After the broker acknowledged a message of the dispatch route: one line for the operator
 * ({@code dispatch campaign c1: veh-0001 instruction i-42 (healthy)}) and the count by kind.
 */
final class DispatchEvents {
    private final Clock clock;
    private final ServiceEvents events;
    private final OemMeters meters;

    DispatchEvents(Clock clock, ServiceEvents events, OemMeters meters) {
        this.clock = clock;
        this.events = events;
        this.meters = meters;
    }

    public void sent(OutboxDispatcher.Outgoing sent) {
        Object content = sent.content();
        OutboxQueue.Message o = sent.message();
        if (content instanceof Instruction i) {
            meters.sent(OemMeters.Sent.INSTRUCTION);
            events.emit(clock, ServiceEvent.Kind.DISPATCH, "dispatch campaign " + i.campaignId() + ": " + i.vehicleId()
                    + " instruction " + i.instructionId() + " (" + i.moduleId() + ", counter " + i.counter() + ", expires "
                    + i.expiresAt() + ")");
        } else if (content instanceof dev.wasmota.signing.instruction.ShadowCommand c) {
            meters.sent(OemMeters.Sent.SHADOW_COMMAND);
            events.emit(clock, ServiceEvent.Kind.DISPATCH, "dispatch campaign " + c.campaignId() + ": " + c.vehicleId()
                    + " shadow command " + c.commandId() + " (" + c.action().wire() + " the shadow of instruction "
                    + c.instructionId() + ", expires " + c.expiresAt() + ")");
        } else if (content instanceof TrustUpdate t) {
            meters.sent(OemMeters.Sent.TRUST_UPDATE);
            events.emit(clock, ServiceEvent.Kind.DISPATCH, "dispatch trust update " + t.sequence() + " to "
                    + (o == null ? "a vehicle" : o.vehicleId()) + " (" + t.revokedKeys().size() + " revoked key(s), "
                    + t.revokedCertificates().size() + " revoked certificate(s))");
        }
    }
}

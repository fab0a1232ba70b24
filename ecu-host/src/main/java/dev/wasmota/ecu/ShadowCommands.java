package dev.wasmota.ecu;

import dev.wasmota.audit.AuditEvent;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.instruction.Instruction;
import dev.wasmota.signing.instruction.ShadowCommand;
import dev.wasmota.signing.instruction.SignedInstruction;
import dev.wasmota.signing.instruction.SignedShadowCommand;
import dev.wasmota.signing.pki.TrustStore;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An operator's signed shadow command carried out on this host: verified (signature and campaign
 * chain before the JSON is parsed), checked against this vehicle and the time, then bound to the
 * shadow run it names: the module's running shadow must have been started by the campaign
 * instruction the command names. Only then is the shadow promoted (through the normal install
 * path) or discarded, as {@link EcuHost#promoteShadow} and {@link EcuHost#discardShadow} do. A
 * command for a shadow run that is no longer running (a replay, or one its rule concluded first)
 * is refused; every refusal is logged.
 */
final class ShadowCommands {
    /** What the audit names as the actor of an operator's command: {@code operator:<commandId>}. */
    static final String ACTOR_PREFIX = "operator:";

    private final HostConfig config;
    private final Supplier<TrustStore> trust;
    private final Supplier<HostRuntime> runtime;
    private final ShadowHost shadows;
    private final HostAudit audit;

    ShadowCommands(HostConfig config, Supplier<TrustStore> trust, Supplier<HostRuntime> runtime, ShadowHost shadows,
            HostAudit audit) {
        this.config = config;
        this.trust = trust;
        this.runtime = runtime;
        this.shadows = shadows;
        this.audit = audit;
    }

    ShadowReport carryOut(byte[] signedCommand) {
        ShadowCommand c = null;
        try {
            c = SignedShadowCommand.open(signedCommand, trust.get(), config.clock());
            String vehicle = config.identity().map(HostIdentity::vehicleId).orElseThrow(() -> new RejectedException(
                    UpdateFailure.IDENTITY_UNKNOWN, "a shadow command needs this ECU's vehicle id; it is not provisioned"));
            SignedShadowCommand.check(c, vehicle, config.clock().instant());
            requireRunningShadowOf(c);
            String actor = ACTOR_PREFIX + c.commandId();
            return c.action() == ShadowCommand.Action.PROMOTE
                    ? shadows.decide(c.moduleId(), ShadowRun.Decision.PROMOTE, actor, "promoted by the operator (campaign "
                            + c.campaignId() + ", command " + c.commandId() + ")" + because(c))
                    : shadows.decide(c.moduleId(), ShadowRun.Decision.DISCARD, actor, "discarded by the operator (campaign "
                            + c.campaignId() + ", command " + c.commandId() + ")" + because(c));
        } catch (RejectedException e) {
            audit.operationRefused(AuditEvent.SHADOW_COMMAND_REFUSED, c == null ? null : c.moduleId(),
                    c == null ? HostAudit.ACTOR : ACTOR_PREFIX + c.commandId(), e);
            throw e;
        }
    }

    private static String because(ShadowCommand c) {
        return c.reason().isEmpty() ? "" : ": " + c.reason();
    }

    /** The module's running shadow was started by the instruction {@code c} names, of its campaign. */
    private void requireRunningShadowOf(ShadowCommand c) {
        HostRuntime rt = runtime.get();
        Optional<ShadowRun> run = rt == null ? Optional.empty() : rt.shadow(c.moduleId());
        Optional<Instruction> startedBy = run.flatMap(r -> r.ctx.instruction())
                .map(file -> SignedInstruction.open(file, trust.get(), config.clock()));
        if (startedBy.isEmpty() || !startedBy.get().instructionId().equals(c.instructionId())
                || !startedBy.get().campaignId().equals(c.campaignId())) {
            throw new RejectedException(ShadowFailure.STALE_COMMAND, "shadow command " + c.commandId() + " names the shadow"
                    + " run of instruction " + c.instructionId() + " (campaign " + c.campaignId() + "); " + c.moduleId()
                    + (run.isEmpty() ? " has no shadow running" + shadows.report(c.moduleId()).map(r -> " (the last one was "
                            + r.state() + ": " + r.reason() + ")").orElse("")
                            : " runs a shadow of " + startedBy.map(i -> "instruction " + i.instructionId() + " (campaign "
                                    + i.campaignId() + ")").orElse("an install by hand")));
        }
    }
}

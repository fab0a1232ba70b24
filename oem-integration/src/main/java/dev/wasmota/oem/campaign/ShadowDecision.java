package dev.wasmota.oem.campaign;

import dev.wasmota.signing.instruction.ShadowCommand;
import java.time.Instant;

/**
 * An operator's decision on a campaign's shadow runs (issue 19), and where its commands stand.
 *
 * @param campaignId the campaign
 * @param action promote or discard
 * @param reason the operator's reason (may be empty)
 * @param actor who decided
 * @param decidedAt when
 * @param commands signed commands issued, one per vehicle whose shadow ran then
 * @param answered of those vehicles, how many reported the shadow's outcome since (COMMITTED or FAILED)
 */
public record ShadowDecision(String campaignId, ShadowCommand.Action action, String reason, String actor,
        Instant decidedAt, int commands, int answered) {
    /** {@code promote by cli at 2026-...: 2 commands, 1 answered (reason)}. */
    public String summary() {
        return action.wire() + " by " + actor + " at " + decidedAt + ": " + commands + " vehicle command(s), " + answered
                + " answered" + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
}

package dev.wasmota.oem.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.oem.campaign.CampaignService;
import dev.wasmota.oem.campaign.RolloutOptions;
import dev.wasmota.oem.campaign.ShadowDecision;
import dev.wasmota.signing.instruction.ShadowCommand;
import java.util.Iterator;

/**
 * A campaign's shadow runs in the management API (issue 19): its rollout options and the operator's
 * decision in the campaign's document ({@code shadow}, {@code health}, {@code shadowDecision}, each
 * null when absent), and the operator's promote or discard ({@code POST .../shadow-promote|shadow-discard},
 * body empty or {@code {"reason": TEXT}}).
 */
final class CampaignShadows {
    /** Adds the campaign's shadow, health gate and shadow decision to its status document {@code o}. */
    ObjectNode add(ObjectNode o, CampaignService service, String id) {
        RolloutOptions r = service.rolloutOptions(id);
        o.set("shadow", r.shadow().<JsonNode>map(s -> s.toJson()).orElse(JsonNodeFactory.instance.nullNode()));
        o.set("health", r.health().<JsonNode>map(h -> h.toJson()).orElse(JsonNodeFactory.instance.nullNode()));
        o.set("shadowDecision", service.shadowDecision(id).<JsonNode>map(CampaignShadows::json)
                .orElse(JsonNodeFactory.instance.nullNode()));
        return o;
    }

    /** Carries out {@code action} (shadow-promote or shadow-discard) on campaign {@code id}; returns its document after. */
    ObjectNode decide(CampaignService service, String id, String action, byte[] body,
                      java.util.function.Supplier<ObjectNode> after) {
        String reason = "";
        if (body.length > 0) {
            JsonNode o = CampaignRequest.object(body);
            for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
                String f = names.next();
                if (!f.equals("reason")) {
                    throw new FieldRejected(ApiFailure.UNKNOWN_FIELD, f, "field '" + PageRequest.clip(f)
                            + "' is not one of [reason]");
                }
            }
            if (o.has("reason")) {
                if (!o.get("reason").isTextual()) {
                    throw new FieldRejected(ApiFailure.WRONG_TYPE, "reason", "field 'reason' must be string");
                }
                reason = o.get("reason").asText();
                if (reason.length() > ShadowCommand.MAX_REASON || reason.chars().anyMatch(Character::isISOControl)) {
                    throw new FieldRejected(ApiFailure.INVALID_PARAMETER, "reason", "field 'reason' must be at most "
                            + ShadowCommand.MAX_REASON + " printable characters");
                }
            }
        }
        service.decideShadows(id, action.equals("shadow-promote") ? ShadowCommand.Action.PROMOTE
                : ShadowCommand.Action.DISCARD, reason);
        return after.get();
    }

    private static ObjectNode json(ShadowDecision d) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("action", d.action().wire());
        o.put("reason", d.reason());
        o.put("actor", d.actor());
        o.put("decidedAt", d.decidedAt().toString());
        o.put("commands", d.commands());
        o.put("answered", d.answered());
        return o;
    }
}

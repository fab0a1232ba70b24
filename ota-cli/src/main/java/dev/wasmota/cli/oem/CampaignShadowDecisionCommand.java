package dev.wasmota.cli.oem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.ShadowDecision;
import dev.wasmota.signing.instruction.ShadowCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ota oem campaign shadow-promote} and {@code shadow-discard}: an operator concludes a
 * campaign's shadow runs now, instead of their rule. Refused (exit 4) for a campaign without
 * shadows ({@code NO_SHADOW_CAMPAIGN}), one already concluded ({@code SHADOW_DECIDED}), or one where
 * no vehicle runs its shadow now ({@code NO_SHADOW_RUNNING}).
 */
abstract class CampaignShadowDecisionCommand extends CampaignBaseCommand {
    @Option(names = "--campaign", required = true, paramLabel = "ID", description = "the campaign")
    String campaign;

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "",
            description = "why, at most " + ShadowCommand.MAX_REASON + " characters: reported by each vehicle and audited")
    String reason;

    private final ShadowCommand.Action action;

    CampaignShadowDecisionCommand(CliEnv env, ShadowCommand.Action action) {
        super(env);
        this.action = action;
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) {
        ShadowDecision d = ws.campaigns().decideShadows(campaign, action, reason);
        out.printf("%s the shadows of campaign %s: %d signed command(s) queued, one per vehicle whose shadow runs;"
                + " each answers in its status (sent by the ota oem serve workers)%n", done(), campaign, d.commands());
        printState(out, done(), ws, ws.campaigns().get(campaign));
        return 0;
    }

    @Override
    int runApi(ApiClient client, PrintWriter out) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("reason", reason);
        JsonNode k = client.post("/api/v1/campaigns/" + encode(campaign) + "/shadow-" + action.wire(), body);
        JsonNode d = k.path("shadowDecision");
        out.printf("%s the shadows of campaign %s: %d signed command(s) queued, one per vehicle whose shadow runs;"
                + " each answers in its status%n", done(), campaign, d.path("commands").asInt());
        printState(out, done(), k);
        return 0;
    }

    private String done() {
        return action == ShadowCommand.Action.PROMOTE ? "promoted" : "discarded";
    }

    /** {@code ota oem campaign shadow-promote}. */
    @Command(name = "shadow-promote", mixinStandardHelpOptions = true,
            description = {"Promotes the campaign's shadow runs now, wherever one runs.",
                    "Each such vehicle is sent a command signed with the campaign key, bound to the instruction that "
                    + "started its shadow; it commits the shadow through its normal install path and reports COMMITTED. "
                    + "A vehicle offline now gets it when it comes back. The campaign's later waves then install at once. "
                    + "A campaign is concluded once: refused (exit 4) without shadows, when already concluded, or when "
                    + "no shadow runs."})
    static final class Promote extends CampaignShadowDecisionCommand {
        Promote(CliEnv env) {
            super(env, ShadowCommand.Action.PROMOTE);
        }
    }

    /** {@code ota oem campaign shadow-discard}. */
    @Command(name = "shadow-discard", mixinStandardHelpOptions = true,
            description = {"Discards the campaign's shadow runs now and aborts the campaign.",
                    "Each vehicle where a shadow runs is sent a command signed with the campaign key, bound to the "
                    + "instruction that started it; it stops the shadow (the active version ran throughout, the shadow's "
                    + "writes were never actuated) and reports FAILED SHADOW_DISCARDED with --reason. A vehicle offline "
                    + "now gets it when it comes back. Refused (exit 4) without shadows, when already concluded, or when "
                    + "no shadow runs."})
    static final class Discard extends CampaignShadowDecisionCommand {
        Discard(CliEnv env) {
            super(env, ShadowCommand.Action.DISCARD);
        }
    }
}

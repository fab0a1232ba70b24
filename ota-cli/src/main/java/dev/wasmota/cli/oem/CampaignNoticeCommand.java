package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.cli.DurationConverter;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.signing.instruction.UserNotice;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ota oem campaign notice}: what the vehicles tell their users before the update (UN R156 7.1.2). */
@Command(name = "notice", mixinStandardHelpOptions = true,
        description = {"States or shows what the vehicles tell their users before the update.",
                "UN R156 7.1.2 user information, carried in each signed instruction: the purpose (the update record's"
                + " unless --purpose is given), the expected duration and the functions unavailable meanwhile. The"
                + " vehicle shows it before activation, tells the outcome after, and reports both in its signed status"
                + " (kept per vehicle, in the evidence bundle). Fixed once the campaign starts. Without options, shows it."})
public final class CampaignNoticeCommand extends CampaignBaseCommand {
    @Option(names = "--campaign", required = true, paramLabel = "ID", description = "the campaign")
    String campaign;

    @Option(names = "--purpose", paramLabel = "TEXT", description = "one line (default: the update record's purpose)")
    String purpose;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long the update is expected to take, e.g. 10m")
    Duration duration;

    @Option(names = "--unavailable", paramLabel = "FUNCTION", description = "a function unavailable meanwhile (repeat,"
            + " at most " + UserNotice.MAX_FUNCTIONS + ")")
    List<String> unavailable = new ArrayList<>();

    public CampaignNoticeCommand(CliEnv env) {
        super(env);
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) {
        Optional<UserNotice> n;
        if (purpose == null && duration == null && unavailable.isEmpty()) {
            n = ws.notices(ACTOR).forCampaign(campaign);
        } else {
            n = ws.notices(ACTOR).state(campaign, Optional.ofNullable(purpose), duration == null ? Duration.ZERO : duration,
                    unavailable);
        }
        out.println(n.map(x -> "campaign " + campaign + " tells its users: " + x.text()).orElse(nothing()));
        return 0;
    }

    @Override
    int runApi(ApiClient client, PrintWriter out) {
        String path = "/api/v1/campaigns/" + encode(campaign) + "/notice";
        com.fasterxml.jackson.databind.JsonNode r;
        if (purpose == null && duration == null && unavailable.isEmpty()) {
            r = client.get(path);
        } else {
            com.fasterxml.jackson.databind.node.ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                    .objectNode().put("expectedSeconds", duration == null ? 0 : duration.getSeconds());
            if (purpose != null) {
                body.put("purpose", purpose);
            }
            unavailable.forEach(body.putArray("unavailableFunctions")::add);
            r = client.put(path, body);
        }
        out.println(r.hasNonNull("text") ? "campaign " + campaign + " tells its users: " + r.get("text").asText() : nothing());
        return 0;
    }

    private String nothing() {
        return "campaign " + campaign + " tells its users nothing: no purpose stated (--purpose, or the update record's)";
    }
}

package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.cli.DurationConverter;
import dev.wasmota.oem.campaign.CampaignDatabase;
import dev.wasmota.oem.campaign.CampaignStatus;
import dev.wasmota.oem.campaign.CampaignStatusJson;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.CampaignView;
import dev.wasmota.oem.campaign.StatusTable;
import java.io.PrintWriter;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ota oem campaign status}: the readable table of one campaign, or a line per campaign; as JSON; watched. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Prints where campaigns stand, wave by wave.",
                "Without --campaign, one line per campaign. With it, the campaign's settings and one line per wave: "
                + "size, instructed, committed, failed (including self rollbacks and expiries), pending (not answered), "
                + "success and error rates in percent of the wave.",
                "--json prints one JSON object per campaign and line instead (format wasmota-campaign-status/1, "
                + "fields in the README).",
                "--watch follows the campaign until it ends: on a terminal the table is drawn again every --interval; "
                + "otherwise (or with --json) one line is printed each time the campaign changes."})
public final class CampaignStatusCommand extends CampaignBaseCommand {
    @Option(names = "--campaign", paramLabel = "ID", description = "the campaign to show in detail")
    String campaign;

    @Option(names = "--json", description = "print JSON, one object per line (format wasmota-campaign-status/1)")
    boolean json;

    @Option(names = "--watch", description = "follow --campaign until it ends (completed, stopped, aborted, rolled back)")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "1s",
            description = "how often --watch reads the campaign again (default: ${DEFAULT-VALUE})")
    Duration interval;

    public CampaignStatusCommand(CliEnv env) {
        super(env);
    }

    /**
     * With {@code --watch}, follows the campaign on the database alone: it holds neither the audit
     * log nor the keys, so every other command (and the workers) go on while it watches.
     */
    @Override
    public Integer call() throws Exception {
        if (!watch || api != null) {
            return super.call();
        }
        CommandLine cmd = spec.commandLine();
        if (campaign == null) {
            throw new CommandLine.ParameterException(cmd, "--watch needs --campaign ID: the campaign to follow");
        }
        if (interval.isZero() || interval.isNegative()) {
            throw new CommandLine.ParameterException(cmd, "--interval must be longer than 0");
        }
        if (!Files.isDirectory(oemDir)) {
            throw new NoSuchFileException(oemDir.toString(), null, "no OEM directory; create one with ota oem init");
        }
        try (CampaignDatabase db = CampaignDatabase.open(dbUrl != null ? dbUrl : CampaignDatabase.defaultUrl(oemDir),
                env.clock())) {
            return new CampaignWatch(id -> CampaignView.status(db, id), campaign, env.clock(), interval, json,
                    System.console() != null && !json).run(cmd.getOut());
        }
    }

    @Override
    int runApi(ApiClient client, PrintWriter out) {
        if (watch) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--watch reads the database: use --oem");
        }
        if (campaign != null) {
            show(client.get("/api/v1/campaigns/" + encode(campaign)), out);
            return 0;
        }
        String next = null;
        do {
            JsonNode page = client.get("/api/v1/campaigns?limit=500" + (next == null ? "" : "&cursor=" + encode(next)));
            for (JsonNode k : page.get("items")) {
                show(client.get("/api/v1/campaigns/" + encode(k.get("id").asText())), out);
            }
            next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);
        return 0;
    }

    private void show(JsonNode k, PrintWriter out) {
        if (json) {
            out.println(dev.wasmota.contract.json.CanonicalJson.string(k));
            out.flush();
        } else {
            printState(out, "", k);
        }
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) {
        if (campaign != null) {
            CampaignStatus s = ws.campaigns().status(campaign);
            out.print(json ? CampaignStatusJson.line(s, env.clock().instant()) + "\n" : StatusTable.detail(s));
            if (!json) {
                ws.campaigns().shadowDecision(campaign).ifPresent(d -> out.println("shadows concluded: " + d.summary()));
                ExcludedVehicles.print(out, ws, campaign);
            }
        } else {
            List<CampaignStatus> all = ws.campaigns().list().stream().map(k -> ws.campaigns().status(k.id())).toList();
            if (json) {
                all.forEach(s -> out.println(CampaignStatusJson.line(s, env.clock().instant())));
            } else {
                out.print(StatusTable.overview(all));
            }
        }
        out.flush();
        return 0;
    }
}

package dev.wasmota.cli.oem;

import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.WaveCounts;
import dev.wasmota.cli.CliEnv;
import java.io.PrintWriter;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every {@code ota oem campaign} command shares: the OEM directory, the database URL, and
 * opening the campaign workspace. Before its own step, each command counts instructions past
 * their expiry as failed (what {@code ota oem serve} does on a timer), so the CLI alone keeps the
 * waves moving.
 */
abstract class CampaignBaseCommand implements Callable<Integer> {
    /** The actor the CLI's audit records name. */
    static final String ACTOR = "cli";

    @Spec
    CommandSpec spec;

    @Option(names = "--oem", paramLabel = "DIR", description = "the OEM directory (ota oem init); or --api")
    Path oemDir;

    @Option(names = "--api", paramLabel = "URL", description = "the OEM's management API (https://HOST:PORT, ota oem serve"
            + " --api) instead of --oem/--db: no database access needed; with --tls")
    URI api;

    @Option(names = "--tls", paramLabel = "DIR", description = "with --api: the operator's (or viewer's) credential,"
            + " ota oem issue operator|viewer")
    Path apiTls;

    @Option(names = "--db", paramLabel = "URL",
            description = "JDBC URL of the OEM database, shared with the oem serve workers (default: the H2 file in DIR/campaigns)")
    String dbUrl;

    final CliEnv env;

    CampaignBaseCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cmd = spec.commandLine();
        if ((oemDir == null) == (api == null)) {
            throw new CommandLine.ParameterException(cmd, "give exactly one of --oem DIR and --api URL");
        }
        if (api != null) {
            if (apiTls == null || dbUrl != null) {
                throw new CommandLine.ParameterException(cmd, "--api takes --tls DIR (the operator's credential) and no --db");
            }
            if (!"https".equals(api.getScheme()) || api.getHost() == null) {
                throw new CommandLine.ParameterException(cmd, "--api must be https://HOST:PORT, not '" + api + "'");
            }
            return runApi(new ApiClient(api, apiTls), cmd.getOut());
        }
        if (apiTls != null) {
            throw new CommandLine.ParameterException(cmd, "--tls goes with --api");
        }
        try (CampaignWorkspace ws = CampaignWorkspace.open(oemDir, Optional.ofNullable(dbUrl), env.clock(), env.random(),
                ACTOR)) {
            ws.campaigns().tick();
            return run(ws, spec.commandLine().getOut());
        }
    }

    /** Prints one line saying what a step did and where the campaign stands now. */
    static void printState(PrintWriter out, String done, CampaignWorkspace ws, Campaign k) {
        WaveCounts t = ws.campaigns().status(k.id()).total();
        out.printf("%s campaign %s: %s, wave %d/%d; %d instructed, %d committed, %d failed, %d pending%s%n", done, k.id(),
                k.state(), k.currentWave(), k.waveCount(), t.instructed(), t.committed(), t.failed(), t.pending(),
                k.cause().map(c -> " (" + c + ")").orElse(""));
    }

    /**
     * The command's step through the management API; returns the exit code. Commands that have
     * none refuse {@code --api} as a usage error.
     */
    int runApi(ApiClient client, PrintWriter out) throws Exception {
        throw new CommandLine.ParameterException(spec.commandLine(), "this command does not work through --api; use --oem");
    }

    /** {@link #printState} for a campaign the API answered with (wasmota-campaign-status/1). */
    static void printState(PrintWriter out, String done, JsonNode k) {
        JsonNode t = k.get("total");
        out.printf("%s campaign %s: %s, wave %d/%d; %d instructed, %d committed, %d failed, %d pending%s%n", done,
                k.get("campaign").asText(), k.get("state").asText(), k.get("currentWave").asInt(), k.get("waveCount").asInt(),
                t.get("instructed").asInt(), t.get("committed").asInt(), t.get("failed").asInt(), t.get("pending").asInt(),
                k.hasNonNull("cause") ? " (" + k.get("cause").asText() + ")" : "");
        out.flush();
    }

    /** Runs a campaign action through the API and prints where the campaign stands. */
    static int act(ApiClient client, PrintWriter out, String campaign, String action, String done) {
        printState(out, done, client.post("/api/v1/campaigns/" + encode(campaign) + "/" + action, null));
        return 0;
    }

    static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The command's own step; returns the exit code. */
    abstract int run(CampaignWorkspace ws, PrintWriter out) throws Exception;
}

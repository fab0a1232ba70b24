package dev.wasmota.cli.oem;

import dev.wasmota.oem.campaign.Campaign;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.campaign.WaveCounts;
import dev.wasmota.cli.CliEnv;
import java.io.PrintWriter;
import java.nio.file.Path;
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

    @Option(names = "--oem", required = true, paramLabel = "DIR", description = "the OEM directory (ota oem init)")
    Path oemDir;

    @Option(names = "--db", paramLabel = "URL",
            description = "JDBC URL of the OEM database, shared with the oem serve workers (default: the H2 file in DIR/campaigns)")
    String dbUrl;

    final CliEnv env;

    CampaignBaseCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
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

    /** The command's own step; returns the exit code. */
    abstract int run(CampaignWorkspace ws, PrintWriter out) throws Exception;
}

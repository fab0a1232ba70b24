package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every {@code ota oem} command that reads or writes the OEM's records shares: the
 * OEM directory (its keys) and the OEM database (everything else), which works the same while
 * {@code oem serve} workers run.
 */
public final class OemOptions {
    @Option(names = "--oem", required = true, paramLabel = "DIR", description = "the OEM directory (ota oem init)")
    Path oemDir;

    @Option(names = "--db", paramLabel = "URL", description = "the OEM database's JDBC URL, shared with the oem serve"
            + " workers (default: the H2 file in DIR/campaigns, served to the other processes of this machine)")
    String dbUrl;

    /** Opens the OEM as {@code actor}, with the campaign commands' file outbox. */
    CampaignWorkspace open(CliEnv env, String actor) {
        return CampaignWorkspace.open(oemDir, Optional.ofNullable(dbUrl), env.clock(), env.random(), actor);
    }

    Path oemDir() {
        return oemDir;
    }
}

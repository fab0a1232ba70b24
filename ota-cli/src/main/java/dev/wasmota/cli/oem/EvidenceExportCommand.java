package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.evidence.EvidenceBundle;
import dev.wasmota.oem.evidence.EvidenceExport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota oem evidence export}: writes a campaign's evidence bundle. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes a campaign's evidence bundle, signed by the OEM.",
                "DIR (absent or empty) gets the release package with both signatures and its SBOM, the SBOM and the "
                + "intake report (the V&V evidence), the update record, the campaign and its waves, each vehicle's outcome "
                + "with the log anchors (auditSeq, auditHead) its signed status reports carried, the campaign's OEM audit "
                + "records, the security events counted by kind per vehicle and fleet, the OEM root certificate, a readable "
                + "index.html, and " + EvidenceBundle.MANIFEST + " (every file's SHA-256) signed with the campaign key in "
                + EvidenceBundle.SIGNATURE + ". The directory appears whole or not at all.",
                "Check it offline with: ota oem evidence verify DIR"})
public final class EvidenceExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OemOptions oem;

    @Option(names = "--campaign", required = true, paramLabel = "ID", description = "the campaign")
    String campaign;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the bundle's directory (absent or empty)")
    Path out;

    private final CliEnv env;

    public EvidenceExportCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        try (CampaignWorkspace ws = oem.open(env, CampaignBaseCommand.ACTOR)) {
            List<String> files = new EvidenceExport(ws).export(campaign, out);
            spec.commandLine().getOut().printf("exported the evidence of campaign %s: %d files, signed -> %s%n"
                    + "  open %s; check with: ota oem evidence verify %s%n", campaign, files.size(), out,
                    out.resolve(EvidenceBundle.HTML), out);
        }
        return 0;
    }
}

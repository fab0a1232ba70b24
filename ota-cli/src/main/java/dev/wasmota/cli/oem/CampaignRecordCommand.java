package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.cli.CliFiles;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.record.UpdateRecord;
import dev.wasmota.oem.record.UpdateRecords;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ota oem campaign record}: states, replaces or shows a campaign's update record (UN R156 7.1.2). */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = {"States or shows a campaign's update record (UN R156 7.1.2).",
                "FILE is JSON: {\"format\":\"" + UpdateRecord.FORMAT + "\", \"purpose\", \"affectedSystems\": [..],"
                + " \"affectedFunctions\": [..], \"typeApprovalRelevant\": true|false, \"impactAssessment\","
                + " \"authorityApprovalSought\": true|false, \"authorityReference\" (when sought), \"executionMethod\","
                + " \"executionConditions\", \"safeExecutionConfirmed\": true}.",
                "The V&V evidence is the release's intake report, which the OEM holds. A record may be stated"
                + " incomplete and replaced while the campaign is CREATED; start refuses (exit 4) a record that lacks a"
                + " field, naming it, and, when the OEM's policy.json sets updateRecordRequired, a campaign without one."})
public final class CampaignRecordCommand extends CampaignBaseCommand {
    @Option(names = "--campaign", required = true, paramLabel = "ID", description = "the campaign")
    String campaign;

    @Option(names = "--record", paramLabel = "FILE", description = "the record to state (replaces an earlier one)")
    Path record;

    public CampaignRecordCommand(CliEnv env) {
        super(env);
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) throws IOException {
        UpdateRecords records = ws.records(ACTOR);
        if (record != null) {
            print(out, records.state(campaign, read(spec.commandLine(), record)));
            return 0;
        }
        Optional<UpdateRecords.Stored> stored = records.find(campaign);
        if (stored.isEmpty()) {
            out.printf("campaign %s has no update record%s%n", campaign,
                    ws.policy().updateRecordRequired() ? " (the OEM's policy requires one to start)" : "");
            return 0;
        }
        out.println(new String(stored.get().record().canonicalBytes(), StandardCharsets.UTF_8));
        print(out, stored.get());
        return 0;
    }

    /** Reads and parses a record file, bounded. */
    static UpdateRecord read(CommandLine cmd, Path file) throws IOException {
        return UpdateRecord.parse(CliFiles.readBounded(cmd, file, UpdateRecord.MAX_BYTES, "update record"));
    }

    static void print(PrintWriter out, UpdateRecords.Stored s) {
        List<String> missing = s.record().missing();
        out.printf("update record of campaign %s: sha256 %s, %s%n", s.campaignId(), s.sha256(),
                missing.isEmpty() ? "complete" : "lacks " + String.join("; ", missing));
    }
}

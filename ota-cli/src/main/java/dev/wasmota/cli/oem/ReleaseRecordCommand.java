package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.record.ReleaseRecords;
import dev.wasmota.oem.release.ReleaseId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ota oem release record}: states or shows a release's own update record, which its campaigns inherit. */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = {"States or shows a release's own update record (UN R156 7.1.2).",
                "FILE is the campaign record's format (ota oem campaign record --help). Every campaign of the release"
                + " inherits it; a campaign's own record's fields take precedence, and its start checks the two"
                + " together. Replaceable until a campaign of the release starts (RECORD_FROZEN, exit 4)."})
public final class ReleaseRecordCommand extends CampaignBaseCommand {
    @Option(names = "--release", required = true, paramLabel = "MODULE@VERSION", description = "the release")
    String release;

    @Option(names = "--record", paramLabel = "FILE", description = "the record to state (replaces an earlier one)")
    Path record;

    public ReleaseRecordCommand(CliEnv env) {
        super(env);
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) throws IOException {
        ReleaseId id;
        try {
            id = ReleaseId.parse(release);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--release: " + e.getMessage());
        }
        ReleaseRecords records = ws.releaseRecords(ACTOR);
        if (record != null) {
            print(out, records.state(ws.releases(), id, CampaignRecordCommand.read(spec.commandLine(), record)));
            return 0;
        }
        Optional<ReleaseRecords.Stored> stored = records.find(id);
        if (stored.isEmpty()) {
            out.printf("release %s has no update record of its own%n", id);
            return 0;
        }
        out.println(new String(stored.get().record().canonicalBytes(), StandardCharsets.UTF_8));
        print(out, stored.get());
        return 0;
    }

    @Override
    int runApi(ApiClient client, PrintWriter out) throws IOException {
        ReleaseId id;
        try {
            id = ReleaseId.parse(release);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--release: " + e.getMessage());
        }
        String path = "/api/v1/releases/" + encode(id.moduleId()) + "/" + encode(id.version()) + "/record";
        if (record != null) {
            print(out, stored(id, client.put(path, CampaignRecordCommand.read(spec.commandLine(), record).toJson())));
            return 0;
        }
        com.fasterxml.jackson.databind.JsonNode r = client.get(path);
        if (!r.hasNonNull("record")) {
            out.printf("release %s has no update record of its own%n", id);
            return 0;
        }
        ReleaseRecords.Stored s = stored(id, r);
        out.println(new String(s.record().canonicalBytes(), StandardCharsets.UTF_8));
        print(out, s);
        return 0;
    }

    /** The record the API answered with, read as the record file is. */
    private static ReleaseRecords.Stored stored(ReleaseId id, com.fasterxml.jackson.databind.JsonNode r) {
        return new ReleaseRecords.Stored(id, dev.wasmota.oem.record.UpdateRecord.parse(r.get("record").toString()
                .getBytes(StandardCharsets.UTF_8)), r.get("sha256").asText(), java.time.Instant.parse(r.get("statedAt").asText()));
    }

    private static void print(PrintWriter out, ReleaseRecords.Stored s) {
        List<String> missing = s.record().missing();
        out.printf("update record of release %s: sha256 %s, %s%n", s.release(), s.sha256(),
                missing.isEmpty() ? "complete" : "lacks " + String.join("; ", missing)
                        + " (a campaign's own record may complete it)");
    }
}

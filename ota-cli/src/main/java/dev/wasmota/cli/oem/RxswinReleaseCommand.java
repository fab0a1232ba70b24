package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.release.ReleaseId;
import dev.wasmota.oem.rxswin.Requirement;
import dev.wasmota.oem.rxswin.RxswinChange;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ota oem rxswin release}: states, or shows, what a release changes of the RXSWIN and why. */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = {"States or shows what a release changes of the RXSWIN.",
                "UN R156 7.2: --from R1 --to R2, or --none;"
                + " always with --reason; and the module versions it requires on the vehicle (--requires"
                + " MODULE>=VERSION, repeatable). Replaces an earlier statement. Without --from/--to/--none, shows it.",
                "A change must name registered RXSWINs (ota oem rxswin define) of one hardware id, and the new one must"
                + " hold this release's module at its version (RXSWIN_MISMATCH, exit 4, otherwise).",
                "The campaign's instructions then carry the new RXSWIN to the vehicles; a campaign's start leaves out"
                + " each vehicle whose last signed configuration does not run --from, or lacks a required module"
                + " version, and names it. A release with no statement is not checked."})
public final class RxswinReleaseCommand extends CampaignBaseCommand {
    @Option(names = "--release", required = true, paramLabel = "MODULE@VERSION", description = "the release")
    String release;

    @Option(names = "--from", paramLabel = "RXSWIN", description = "the RXSWIN a vehicle must run to take it")
    String from;

    @Option(names = "--to", paramLabel = "RXSWIN", description = "the RXSWIN the vehicle runs after it")
    String to;

    @Option(names = "--none", description = "the release changes no RXSWIN (say why in --reason)")
    boolean none;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why it changes, or why not (required to state)")
    String reason;

    @Option(names = "--requires", paramLabel = "MODULE>=VERSION", description = "a module version the vehicle must run")
    List<String> requires = new ArrayList<>();

    public RxswinReleaseCommand(CliEnv env) {
        super(env);
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) {
        ReleaseId id = checked();
        if (!stating()) {
            Optional<RxswinChange> ch = ws.rxswin(ACTOR).change(id);
            out.println(ch.map(RxswinReleaseCommand::line).orElse(unstated(id)));
            return 0;
        }
        List<Requirement> parsed = requires.stream().map(Requirement::parse).toList();
        RxswinChange ch = ws.rxswin(ACTOR).state(ws.releases(), id, Optional.ofNullable(from), Optional.ofNullable(to),
                reason, parsed);
        out.println(line(ch));
        return 0;
    }

    @Override
    int runApi(ApiClient client, PrintWriter out) {
        ReleaseId id = checked();
        String path = "/api/v1/releases/" + encode(id.moduleId()) + "/" + encode(id.version()) + "/rxswin";
        com.fasterxml.jackson.databind.JsonNode r;
        if (!stating()) {
            r = client.get(path);
        } else {
            com.fasterxml.jackson.databind.node.ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                    .objectNode().put("reason", reason);
            if (none) {
                body.put("none", true);
            } else {
                body.put("from", from).put("to", to);
            }
            requires.forEach(body.putArray("requires")::add);
            r = client.put(path, body);
        }
        com.fasterxml.jackson.databind.JsonNode ch = r.get("rxswin");
        if (ch == null || ch.isNull()) {
            out.println(unstated(id));
            return 0;
        }
        List<String> req = new ArrayList<>();
        ch.get("requires").forEach(q -> req.add(q.asText()));
        out.println("release " + id + " changes RXSWIN " + ch.get("summary").asText() + " (" + ch.get("reason").asText() + ")"
                + (req.isEmpty() ? "" : "; requires " + String.join(", ", req)) + "; stated " + ch.get("statedAt").asText());
        return 0;
    }

    private boolean stating() {
        return none || from != null || to != null;
    }

    /** The release, and the options checked as a statement or a read. */
    private ReleaseId checked() {
        CommandLine cmd = spec.commandLine();
        ReleaseId id;
        try {
            id = ReleaseId.parse(release);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cmd, "--release: " + e.getMessage());
        }
        if (!stating()) {
            if (reason != null || !requires.isEmpty()) {
                throw new CommandLine.ParameterException(cmd, "give --from R1 --to R2 or --none with --reason");
            }
            return id;
        }
        if (none == (from != null || to != null)) {
            throw new CommandLine.ParameterException(cmd, "give either --from R1 --to R2 or --none, not both");
        }
        if (reason == null) {
            throw new CommandLine.ParameterException(cmd, "--reason TEXT is required: why it changes, or why not");
        }
        return id;
    }

    private static String unstated(ReleaseId id) {
        return "release " + id + " has no RXSWIN statement (its campaigns are not checked against vehicles' configurations)";
    }

    static String line(RxswinChange ch) {
        return "release " + ch.release() + " changes RXSWIN " + ch.summary() + " (" + ch.reason() + ")"
                + (ch.requires().isEmpty() ? "" : "; requires " + String.join(", ",
                ch.requires().stream().map(Requirement::toString).toList())) + "; stated " + ch.statedAt();
    }
}

package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.release.ReleaseId;
import dev.wasmota.oem.rxswin.Rxswin;
import java.io.PrintWriter;
import java.util.List;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ota oem rxswin define}: registers an RXSWIN for a hardware id as exactly which module versions. */
@Command(name = "define", mixinStandardHelpOptions = true,
        description = {"Registers an RXSWIN for a hardware id as exact module versions.",
                "An RXSWIN is the UN R156 software identification number of an approved configuration.",
                "An entry never changes meaning: defining it again with the same modules changes nothing, with"
                + " others is refused (RXSWIN_CONFLICT, exit 4). A vehicle that reports no RXSWIN is judged by the"
                + " entry its module versions match."})
public final class RxswinDefineCommand extends CampaignBaseCommand {
    @Option(names = "--hardware", required = true, paramLabel = "ID", description = "the vehicle type's hardware id")
    String hardware;

    @Option(names = "--rxswin", required = true, paramLabel = "RXSWIN", description = "the identification number,"
            + " e.g. R156-ECU-A:2.0")
    String rxswin;

    @Option(names = "--module", required = true, paramLabel = "MODULE@VERSION",
            description = "a module version it is made of (repeat, at most " + Rxswin.MAX_MODULES + ")")
    List<String> modules;

    @Option(names = "--description", paramLabel = "TEXT", description = "one line: what it is, its approval")
    String description = "";

    public RxswinDefineCommand(CliEnv env) {
        super(env);
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) {
        Rxswin r = ws.rxswin(ACTOR).define(hardware, rxswin, modules(), description);
        out.printf("RXSWIN %s of hardware %s: %s (defined %s)%n", r.id(), r.hardwareId(), RxswinListCommand.modules(r),
                r.definedAt());
        return 0;
    }

    @Override
    int runApi(ApiClient client, PrintWriter out) {
        com.fasterxml.jackson.databind.node.ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode().put("hardware", hardware).put("rxswin", rxswin).put("description", description);
        com.fasterxml.jackson.databind.node.ObjectNode m = body.putObject("modules");
        modules().forEach(m::put);
        com.fasterxml.jackson.databind.JsonNode r = client.post("/api/v1/rxswin", body);
        out.printf("RXSWIN %s of hardware %s: %s (defined %s)%n", r.get("rxswin").asText(), r.get("hardware").asText(),
                RxswinListCommand.modules(r), r.get("definedAt").asText());
        return 0;
    }

    private TreeMap<String, String> modules() {
        TreeMap<String, String> m = new TreeMap<>();
        for (String text : modules) {
            ReleaseId id;
            try {
                id = ReleaseId.parse(text);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--module: " + e.getMessage());
            }
            if (m.put(id.moduleId(), id.version()) != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--module names " + id.moduleId() + " twice");
            }
        }
        return m;
    }
}

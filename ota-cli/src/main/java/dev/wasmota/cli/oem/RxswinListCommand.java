package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.rxswin.Rxswin;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ota oem rxswin list}: the RXSWIN register. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Prints the RXSWIN register.",
                "Per hardware id, each RXSWIN and the module versions it is made of."})
public final class RxswinListCommand extends CampaignBaseCommand {
    @Option(names = "--hardware", paramLabel = "ID", description = "only this hardware id")
    String hardware;

    public RxswinListCommand(CliEnv env) {
        super(env);
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) {
        List<Rxswin> all = ws.rxswin(ACTOR).list(Optional.ofNullable(hardware));
        if (all.isEmpty()) {
            out.println("no RXSWIN registered" + (hardware == null ? "" : " for hardware " + hardware));
            return 0;
        }
        out.printf("%-16s %-24s %s%n", "HARDWARE", "RXSWIN", "MODULES");
        for (Rxswin r : all) {
            out.printf("%-16s %-24s %s%s%n", r.hardwareId(), r.id(), modules(r),
                    r.description().isEmpty() ? "" : "  (" + r.description() + ")");
        }
        return 0;
    }

    @Override
    int runApi(ApiClient client, PrintWriter out) {
        List<com.fasterxml.jackson.databind.JsonNode> all = new java.util.ArrayList<>();
        String cursor = null;
        do {
            com.fasterxml.jackson.databind.JsonNode page = client.get("/api/v1/rxswin?limit=500"
                    + (hardware == null ? "" : "&hardware=" + encode(hardware)) + (cursor == null ? "" : "&cursor=" + encode(cursor)));
            page.get("items").forEach(all::add);
            cursor = page.hasNonNull("next") ? page.get("next").asText() : null;
        } while (cursor != null);
        if (all.isEmpty()) {
            out.println("no RXSWIN registered" + (hardware == null ? "" : " for hardware " + hardware));
            return 0;
        }
        out.printf("%-16s %-24s %s%n", "HARDWARE", "RXSWIN", "MODULES");
        for (com.fasterxml.jackson.databind.JsonNode r : all) {
            String d = r.path("description").asText();
            out.printf("%-16s %-24s %s%s%n", r.get("hardware").asText(), r.get("rxswin").asText(), modules(r),
                    d.isEmpty() ? "" : "  (" + d + ")");
        }
        return 0;
    }

    /** The modules of a register entry the API answered with, as {@link #modules(Rxswin)}. */
    static String modules(com.fasterxml.jackson.databind.JsonNode r) {
        List<String> out = new java.util.ArrayList<>();
        r.get("modules").fields().forEachRemaining(e -> out.add(e.getKey() + "@" + e.getValue().asText()));
        return String.join(" ", out);
    }

    static String modules(Rxswin r) {
        return r.modules().entrySet().stream().map(e -> e.getKey() + "@" + e.getValue()).collect(Collectors.joining(" "));
    }
}

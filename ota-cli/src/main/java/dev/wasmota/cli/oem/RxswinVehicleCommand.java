package dev.wasmota.cli.oem;

import dev.wasmota.cli.CliEnv;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.rxswin.ReportedConfiguration;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ota oem rxswin vehicle}: a vehicle's configuration as its last signed status stated it. */
@Command(name = "vehicle", mixinStandardHelpOptions = true,
        description = {"Prints a vehicle's last known configuration.",
                "From its last signed status report: its RXSWIN and"
                + " each module's version and package digest (what the next campaign's start checks)."})
public final class RxswinVehicleCommand extends CampaignBaseCommand {
    @Option(names = "--vehicle", required = true, paramLabel = "ID", description = "the vehicle")
    String vehicle;

    public RxswinVehicleCommand(CliEnv env) {
        super(env);
    }

    @Override
    int run(CampaignWorkspace ws, PrintWriter out) {
        Optional<ReportedConfiguration> c = ws.rxswin(ACTOR).configuration(vehicle);
        if (c.isEmpty()) {
            out.printf("vehicle %s has reported no configuration yet%n", vehicle);
            return 0;
        }
        out.printf("vehicle %s rxswin %s (reported %s, answering %s)%n", vehicle, c.get().rxswin().orElse("none"),
                c.get().reportedAt(), c.get().instructionId());
        c.get().modules().forEach((m, v) -> out.printf("  %-20s %-12s %s%n", m, v.version(), v.packageSha256()));
        return 0;
    }

    @Override
    int runApi(ApiClient client, PrintWriter out) {
        com.fasterxml.jackson.databind.JsonNode c = client.get("/api/v1/vehicles/" + encode(vehicle) + "/configuration")
                .get("configuration");
        if (c == null || c.isNull()) {
            out.printf("vehicle %s has reported no configuration yet%n", vehicle);
            return 0;
        }
        out.printf("vehicle %s rxswin %s (reported %s, answering %s)%n", vehicle,
                c.hasNonNull("rxswin") ? c.get("rxswin").asText() : "none", c.get("reportedAt").asText(),
                c.get("instructionId").asText());
        c.get("modules").fields().forEachRemaining(e -> out.printf("  %-20s %-12s %s%n", e.getKey(),
                e.getValue().get("version").asText(), e.getValue().get("packageSha256").asText()));
        return 0;
    }
}

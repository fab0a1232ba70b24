package dev.wasmota.routes;

import dev.wasmota.oem.intake.IntakeOptions;
import dev.wasmota.transport.MqttSettings;
import dev.wasmota.routes.oem.OemNode;
import dev.wasmota.routes.oem.OemNodeConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * An OEM worker in its own process, with {@link PipelineKit}'s settings, for tests that kill it
 * ({@code kill -9}) mid-campaign. Prints {@code ready} once its routes run; then answers lines on
 * standard input: {@code start ID} starts a campaign created beforehand (and answers like
 * {@code state}), {@code state ID} answers {@code state ID STATE}, and {@code stop} closes the
 * node and exits 0.
 *
 * <p>Arguments: {@code OEM_DIR BROKER_URL TOPIC_ROOT DB_URL WORKER SEED LEASE_SECONDS}; each run needs its
 * own seed, or a restarted worker would issue the instruction ids its predecessor already used.
 */
public final class OemChild {
    private OemChild() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(PipelineKit.settings(args[2]));
        settings.put("ota.oem.worker", args[4]);
        settings.put("ota.oem.leaseSeconds", args[6]);
        OemNodeConfig config = OemNodeConfig.of(Path.of(args[0]), MqttSettings.of(args[1])).withProperties(settings)
                .withDatabase(args[3]).withClock(PipelineKit.CLOCK, new Random(Long.parseLong(args[5])))
                .withIntake(IntakeOptions.builder().soakTicks(200).build()).withRegistry(new SimpleMeterRegistry());
        OemNode node = OemNode.start(config);
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String[] words = line.strip().split(" ");
            if (words[0].equals("start")) {
                node.campaigns().start(words[1]);
                System.out.println("started " + words[1]);
            } else if (words[0].equals("state")) {
                System.out.println("state " + words[1] + " " + node.campaigns().get(words[1]).state());
            } else if (words[0].equals("stop")) {
                break;
            }
        }
        node.close();
        System.exit(0);
    }
}

package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docs/DEPLOY.md checked on every build, before {@link DeploymentIT} runs it: its steps are those
 * the IT checks, and every {@code ./ota} command in it (alternatives too) parses with the command
 * line's own option checks, its words as bash splits them with the settings' variables set.
 */
class DeployDocumentTest {

    @Test
    void theDocumentsStepsAreTheOnesDeploymentItChecks() {
        assertEquals(DeployDocument.STEPS, DeployDocument.steps().stream().map(DeployDocument.Block::step).toList());
        assertTrue(DeployDocument.steps().stream().filter(DeployDocument.Block::service).map(DeployDocument.Block::step)
                .toList().containsAll(List.of("broker", "oem-1", "oem-2", "veh-0001", "veh-0002")));
    }

    @Test
    void everyOtaCommandOfTheDocumentParses() throws Exception {
        List<String> problems = new ArrayList<>();
        int commands = 0;
        for (DeployDocument.Block b : DeployDocument.all()) {
            for (String line : commandLines(b.body())) {
                if (!line.startsWith("./ota ")) {
                    continue;
                }
                commands++;
                List<String> args = words(line.substring("./ota ".length()));
                try {
                    CommandLine.ParseResult r = Commands.build(CliEnv.system()).parseArgs(args.toArray(String[]::new));
                    while (r.hasSubcommand()) {
                        r = r.subcommand();
                    }
                    if (r.commandSpec().subcommands().size() > 0 && !r.commandSpec().name().equals("broker")) {
                        problems.add(line + ": names a group, not a command");
                    }
                } catch (CommandLine.ParameterException e) {
                    problems.add(line + ": " + e.getMessage());
                }
            }
        }
        assertTrue(commands >= 25, "the document's ota commands were found: " + commands);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void aShellBlockThatIsNeitherAStepNorAnAlternativeIsRefused() {
        assertThrows(AssertionError.class, () -> DeployDocument.parse("```sh\n./ota --help\n```\n"));
        assertEquals(1, DeployDocument.parse("```sh alternative\n./ota --help\n```\n```json\n{}\n```\n").size());
    }

    /** The block's commands, a line each, backslash continuations joined. */
    private static List<String> commandLines(String body) {
        return Arrays.stream(body.replace("\\\n", " ").split("\n")).map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    /** {@code args} split and expanded by bash, with the settings' variables at made-up values. */
    private static List<String> words(String args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "printf '%s\\0' " + args);
        pb.environment().putAll(java.util.Map.of("WORK", "/tmp/deploy-doc", "MQTT_PORT", "8883", "PGPORT", "5432",
                "METRICS_BASE", "9100", "BROKER", "ssl://127.0.0.1:8883", "DB", "jdbc:postgresql://127.0.0.1:5432/wasmota?user=wasmota"));
        Process p = pb.redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "bash expands: " + args);
        String text = new String(out, StandardCharsets.UTF_8);
        return Arrays.asList(text.substring(0, text.length() - 1).split("\0", -1));
    }
}

package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wasmota.testkit.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * docs/deploy/ kept correct by construction, since neither systemd nor a Docker engine runs here:
 * the {@code ota} command of every unit's {@code ExecStart}, every Compose {@code command:} and
 * every settings file's first line is parsed with the command line's own option checks, reading
 * the settings files it names from docs/deploy/ ({@code /etc/wasmota/} maps there); and the
 * Dockerfile copies the jar {@code ./ota} runs and starts {@link Main}.
 */
class DeployExamplesTest {
    static final Path DEPLOY = Repository.file("docs/deploy");
    static final String ETC = "/etc/wasmota/";
    static final Pattern COMPOSE_COMMAND = Pattern.compile("^\\s*command:\\s*(\\[.*])\\s*$");
    static final List<String> SERVING = List.of("ota broker", "ota oem serve", "ota ecu serve", "ota supplier submit");

    @Test
    void everyUnitComposeServiceAndSettingsFileParsesWithItsSettings() throws IOException {
        Map<String, List<String>> commands = commands();
        assertEquals(3 + 3 + 4, commands.size(), () -> "three units, three services, four settings files: " + commands.keySet());
        List<String> problems = new ArrayList<>();
        commands.forEach((where, args) -> {
            try {
                CommandSpec spec = parsed(args.stream().map(DeployExamplesTest::local).toArray(String[]::new));
                if (!SERVING.contains(spec.qualifiedName())) {
                    problems.add(where + ": runs " + spec.qualifiedName() + ", not a party's serving command");
                } else if (spec.findOption("--config").getValue() == null) {
                    problems.add(where + ": takes no --config");
                }
            } catch (CommandLine.ParameterException e) {
                problems.add(where + ": " + e.getMessage());
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theDockerfileCopiesTheJarTheLauncherRunsAndStartsMain() throws IOException {
        Matcher jar = Pattern.compile("JAR=\"\\$OTA_HOME/(\\S+\\.jar)\"").matcher(Files.readString(Repository.file("ota")));
        assertTrue(jar.find(), "./ota names its jar");
        String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
        assertTrue(dockerfile.contains("/src/" + jar.group(1) + " "), "the Dockerfile copies " + jar.group(1));
        assertTrue(dockerfile.contains("\"" + Main.class.getName() + "\"]"), "its entry point is " + Main.class.getName());
    }

    /** The {@code ota} arguments of every example, by where it stands. */
    static Map<String, List<String>> commands() throws IOException {
        Map<String, List<String>> commands = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(DEPLOY)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (name.endsWith(".service") && line.startsWith("ExecStart=")) {
                        List<String> words = Arrays.asList(line.substring("ExecStart=".length()).trim().split("\\s+"));
                        assertTrue(words.get(0).endsWith("/ota"), name + " runs ota: " + line);
                        commands.put(name + ":" + (i + 1), words.subList(1, words.size()));
                    }
                    Matcher m = COMPOSE_COMMAND.matcher(line);
                    if (name.equals("compose.yaml") && m.matches()) {
                        commands.put(name + ":" + (i + 1), new ObjectMapper().readValue(m.group(1), new TypeReference<>() { }));
                    }
                }
                if (name.endsWith(".properties")) {
                    String first = lines.get(0);
                    assertTrue(first.startsWith("# ota "), name + " starts with the command that reads it: " + first);
                    List<String> words = new ArrayList<>(Arrays.asList(first.substring("# ota ".length()).trim().split("\\s+")));
                    words.replaceAll(w -> w.equals("PKG") ? "package.wotapkg" : w);
                    assertTrue(words.contains(ETC + name), name + "'s command reads it: " + first);
                    commands.put(name + ":1", words);
                }
            }
        }
        return commands;
    }

    private static CommandSpec parsed(String... args) {
        CommandLine.ParseResult r = Commands.build(CliEnv.system()).parseArgs(args);
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        return r.commandSpec();
    }

    private static String local(String arg) {
        return arg.startsWith(ETC) && arg.endsWith(".properties") ? DEPLOY.resolve(arg.substring(ETC.length())).toString() : arg;
    }
}

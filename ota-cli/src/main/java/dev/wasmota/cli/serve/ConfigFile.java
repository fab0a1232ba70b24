package dev.wasmota.cli.serve;

import dev.wasmota.contract.config.Problems;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.protocol.RouteProperties;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}: one party's settings in one file, instead of a long command line. The
 * format is the simplest part of Java properties: one {@code key = value} per line, {@code #}
 * comments and blank lines, no escapes or continuation lines, UTF-8, at most 64 KiB. A key is a
 * long option of the command without its dashes ({@code broker = ssl://mqtt.example:8883},
 * {@code metrics-port = 9100}, {@code plain = false} for a negatable one) or a route setting as
 * {@code --set} takes it ({@code ota.topic.root = fleet1}). A relative path is relative to the
 * file's directory. Options on the command line win over the file ({@code --set} over its route
 * settings). Every problem (an unknown key, named; a key given twice; a value that is not of its
 * option's type; a line that is not {@code key = value}) is refused at once, as a usage error.
 */
public final class ConfigFile {
    /** Largest settings file read. */
    public static final int MAX_BYTES = 64 * 1024;
    /** Options that a settings file cannot set: what the file is, and what prints help instead of running. */
    static final Set<String> NOT_SETTABLE = Set.of("config", "help", "version", "set");

    @Option(names = "--config", paramLabel = "FILE",
            description = "settings file: one KEY = VALUE per line, KEY a long option without -- or an ota.* setting; "
                    + "options given here win (examples: docs/deploy/)")
    Path file;

    /** The options and route settings a file sets, validated against {@code command}. */
    public record Values(Map<String, String> options, Map<String, String> routeSettings) {
    }

    /**
     * Reads {@code file} for {@code command}: every problem at once.
     *
     * @throws CommandLine.ParameterException listing every problem, or naming a file that cannot be read
     */
    public static Values read(Path file, CommandSpec command) {
        List<String> lines = lines(file, command);
        Problems problems = Problems.of("settings file " + file);
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> route = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new LinkedHashMap<>();
        boolean unknown = false;
        for (int i = 0; i < lines.size(); i++) {
            int number = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                problems.add("line " + number + " is not KEY = VALUE");
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            Integer earlier = firstLine.putIfAbsent(key, number);
            if (earlier != null) {
                problems.add("line " + number + ": " + key + " is set again (first on line " + earlier + ")");
                continue;
            }
            if (RouteProperties.DEFAULTS.containsKey(key)) {
                checkRouteSetting(key, value, number, problems);
                route.put(key, value);
                continue;
            }
            OptionSpec option = NOT_SETTABLE.contains(key) ? null : command.findOption("--" + key);
            if (option == null) {
                problems.add("line " + number + ": " + (NOT_SETTABLE.contains(key) ? key + " cannot be set in a settings file"
                        : "unknown key '" + key + "'"));
                unknown |= !NOT_SETTABLE.contains(key);
                continue;
            }
            String problem = OptionValues.problem(option, value);
            if (problem != null) {
                problems.add("line " + number + ": " + key + " = '" + value + "' " + problem);
                continue;
            }
            options.put(key, OptionValues.isPath(option) ? resolve(file, value) : value);
        }
        if (unknown) {
            problems.add("known keys: " + String.join(", ", knownKeys(command)));
        }
        problems.orThrow(message -> new CommandLine.ParameterException(command.commandLine(), message));
        return new Values(Map.copyOf(options), Map.copyOf(route));
    }

    /** Every key a settings file for {@code command} may set. */
    public static List<String> knownKeys(CommandSpec command) {
        Set<String> keys = new TreeSet<>();
        for (OptionSpec o : command.options()) {
            String key = o.longestName().replaceFirst("^--", "");
            if (!NOT_SETTABLE.contains(key) && !o.isMultiValue()) {
                keys.add(key);
            }
        }
        List<String> all = new ArrayList<>(keys);
        all.addAll(new TreeSet<>(RouteProperties.DEFAULTS.keySet()));
        return all;
    }

    private static void checkRouteSetting(String key, String value, int number, Problems problems) {
        if (RouteSettings.isNumber(RouteProperties.DEFAULTS.get(key)[0]) && !RouteSettings.isNumber(value)) {
            problems.add("line " + number + ": " + key + " = '" + value + "' is not a whole number");
        }
    }

    private static String resolve(Path file, String value) {
        Path dir = file.toAbsolutePath().getParent();
        return dir.resolve(value).normalize().toString();
    }

    private static List<String> lines(Path file, CommandSpec command) {
        try {
            byte[] bytes = DurableFiles.readBounded(file, MAX_BYTES);
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return text.lines().toList();
        } catch (NoSuchFileException e) {
            throw new CommandLine.ParameterException(command.commandLine(), "--config " + file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new CommandLine.ParameterException(command.commandLine(), "--config " + file + ": not UTF-8 text");
        } catch (IOException | RuntimeException e) {
            throw new CommandLine.ParameterException(command.commandLine(), "--config " + file + ": cannot be read ("
                    + e.getMessage() + "); at most " + MAX_BYTES + " bytes");
        }
    }
}

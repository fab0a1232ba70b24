package dev.wasmota.cli.serve;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives a command's options the values its {@code --config FILE} sets, for every option the command
 * line left out (picocli asks for defaults after it has parsed the arguments, so {@code --config}
 * is known by then and an option given on the command line is never asked for). Declared on a
 * command with {@code @Command(defaultValueProvider = ConfigDefaults.class)} beside a
 * {@link ConfigFile} mixin; without {@code --config} it gives nothing, and the options' own
 * defaults apply.
 */
public final class ConfigDefaults implements IDefaultValueProvider {
    private Path readFrom;
    private ConfigFile.Values values;

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        String key = option.longestName().replaceFirst("^--", "");
        if (ConfigFile.NOT_SETTABLE.contains(key)) {
            return null;
        }
        return values(arg.command()).options().get(key);
    }

    /** The route settings ({@code ota.*}) the command's settings file sets; none without one. */
    public static Map<String, String> routeSettings(CommandSpec command) {
        return command.defaultValueProvider() instanceof ConfigDefaults d ? d.values(command).routeSettings() : Map.of();
    }

    private synchronized ConfigFile.Values values(CommandSpec command) {
        OptionSpec config = command.findOption("--config");
        Path file = config == null ? null : config.getValue();
        if (file == null) {
            return new ConfigFile.Values(Map.of(), Map.of());
        }
        if (!file.equals(readFrom)) {
            values = ConfigFile.read(file, command);
            readFrom = file;
        }
        return values;
    }
}

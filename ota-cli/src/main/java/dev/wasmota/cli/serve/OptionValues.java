package dev.wasmota.cli.serve;

import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.OptionSpec;

/** Whether a settings file's value is one its option takes: checked by the option's type, before picocli converts it. */
final class OptionValues {
    private OptionValues() {
    }

    /** Why {@code value} is not a value of {@code option}, or {@code null} if it is. */
    static String problem(OptionSpec option, String value) {
        if (option.isMultiValue()) {
            return "cannot be set in a settings file (give it on the command line)";
        }
        if (value.isEmpty()) {
            return "is empty";
        }
        for (ITypeConverter<?> converter : option.converters()) {
            try {
                converter.convert(value);
                return null;
            } catch (Exception e) {
                return "is not a value of --" + key(option) + ": " + e.getMessage();
            }
        }
        Class<?> type = option.type();
        if (type == int.class || type == Integer.class) {
            return fits(value, Integer.MIN_VALUE, Integer.MAX_VALUE) ? null : "is not a whole number";
        }
        if (type == long.class || type == Long.class) {
            return fits(value, Long.MIN_VALUE, Long.MAX_VALUE) ? null : "is not a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? null : "is not true or false";
        }
        return null;
    }

    static boolean isPath(OptionSpec option) {
        return option.type() == Path.class;
    }

    private static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^--", "");
    }

    private static boolean fits(String value, long min, long max) {
        try {
            long n = Long.parseLong(value);
            return n >= min && n <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

package dev.wasmota.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's settings table is the list users read: it must be exactly {@link RouteProperties#DEFAULTS}. */
class ReadmeSettingsTest {
    private static final String HEADING = "### Settings (`--set KEY=VALUE`)";

    @Test
    void readmeSettingsTableListsEveryDefaultWithItsValueAndMeaning() throws IOException {
        List<String> expected = new ArrayList<>();
        for (Map.Entry<String, String[]> e : RouteProperties.DEFAULTS.entrySet()) {
            expected.add("| `" + e.getKey() + "` | " + e.getValue()[0] + " | " + e.getValue()[1] + " |");
        }
        assertEquals(String.join("\n", expected), String.join("\n", tableRows()),
                "README.md's settings table differs from RouteProperties.DEFAULTS (rows in DEFAULTS order)");
    }

    private static List<String> tableRows() throws IOException {
        List<String> lines = Files.readAllLines(dev.wasmota.testkit.Repository.file("README.md"));
        int at = lines.indexOf(HEADING);
        if (at < 0) {
            throw new AssertionError("README.md has no heading '" + HEADING + "'");
        }
        List<String> rows = new ArrayList<>();
        for (String line : lines.subList(at + 1, lines.size())) {
            if (line.startsWith("| `")) {
                rows.add(line);
            } else if (!rows.isEmpty()) {
                break;
            }
        }
        return rows;
    }
}

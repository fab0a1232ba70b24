package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.EcuCli.Result;
import dev.wasmota.signing.Fixtures;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Usage errors of {@code ota ecu ...} (exit 2 with a hint) and the commands' help. */
class EcuUsageTest {
    @TempDir
    static Path dir;
    static EcuCli cli;

    @BeforeAll
    static void fixtures() {
        cli = new EcuCli(dir);
    }

    private static Result usage(String... args) {
        Result r = cli.ota(args);
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().startsWith("usage error: "), r.err());
        return r;
    }

    @Test
    void everyHostCommandNeedsAState() {
        for (String[] args : new String[][] {{"ecu", "run", "--duration", "1s"}, {"ecu", "log"},
                {"ecu", "rollback", "--module", "healthy"}, {"ecu", "install", "--package", "x.wotapkg"}}) {
            Result r = usage(args);
            assertTrue(r.err().contains("--state"), r.err());
            assertTrue(r.err().contains("--help"), r.err());
        }
    }

    @Test
    void badDurationIsAUsageErrorNamingTheAcceptedForms() {
        Result r = usage("ecu", "run", "--state", dir.resolve("state").toString(), "--duration", "5 parsecs");
        assertTrue(r.err().contains("5 parsecs"), r.err());
        assertTrue(r.err().contains("500ms, 10s, 2m"), r.err());
    }

    @Test
    void firstInstallWithoutTrustIsAUsageError() {
        Path pkg = cli.healthy(1);
        Result r = usage("ecu", "install", "--state", dir.resolve("fresh").toString(), "--package", pkg.toString());
        assertTrue(r.err().contains("trust"), r.err());
    }

    @Test
    void everyEcuCommandPrintsHelp() {
        for (String cmd : List.of("verify", "install", "run", "rollback", "confirm", "status", "log")) {
            Result r = cli.ota("ecu", cmd, "--help");
            assertEquals(0, r.code(), cmd);
            assertTrue(r.out().startsWith("Usage: ota ecu " + cmd), r.out());
        }
    }

    /** A parent lists each command by its first description line: it must read as a whole short sentence. */
    @Test
    void everyCommandSummaryIsOneShortSentence() {
        List<String> problems = new ArrayList<>();
        CommandLine ota = Commands.build(new CliEnv(Clock.fixed(Fixtures.T0, ZoneOffset.UTC), Fixtures.seeded(1)));
        for (String group : List.of("ecu", "supplier", "oem")) {
            ota.getSubcommands().get(group).getSubcommands().forEach((name, sub) -> {
                String[] description = sub.getCommandSpec().usageMessage().description();
                String first = description.length == 0 ? "" : description[0];
                if (first.length() > 70 || !first.endsWith(".") || first.isBlank()) {
                    problems.add(group + " " + name + ": '" + first + "'");
                }
            });
        }
        assertTrue(problems.isEmpty(), "summaries that are not a sentence of at most 70 characters: " + problems);
    }
}

package dev.wasmota.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.cli.serve.RouteSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code --config FILE} on every party's serve command: a key per option, flags win, every problem at once. */
class ServeConfigTest {
    @TempDir
    Path dir;

    /** The spec of the leaf command {@code args} name, after picocli parsed them (settings file applied). */
    private static CommandSpec parsed(String... args) {
        CommandLine.ParseResult r = Commands.build(CliEnv.system()).parseArgs(args);
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        return r.commandSpec();
    }

    private static Object value(CommandSpec spec, String option) {
        return spec.findOption(option).getValue();
    }

    private Path file(String name, String... lines) throws Exception {
        Path f = dir.resolve("etc").resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    @Test
    void theFileSetsOptionsAndRouteSettingsAndTheCommandLineWins() throws Exception {
        Path f = file("vehicle.properties", "# veh-1", "state = ../var/veh-1", "broker = ssl://mqtt.example:8883",
                "  metrics-port=9100  ", "", "ota.topic.root = fleet1", "ota.mqtt.keepAliveSeconds = 20");
        CommandSpec spec = parsed("ecu", "serve", "--config", f.toString(), "--broker", "tcp://127.0.0.1:1883", "--set",
                "ota.mqtt.keepAliveSeconds=40");
        assertEquals(dir.resolve("var/veh-1").toAbsolutePath(), value(spec, "--state"), "relative to the file's directory");
        assertEquals("tcp://127.0.0.1:1883", value(spec, "--broker"), "the command line wins");
        assertEquals(9100, (Integer) value(spec, "--metrics-port"));
        Properties p = ((RouteSettings) spec.mixins().get("settings").userObject()).properties(spec.commandLine(), Map.of());
        assertEquals("fleet1", p.getProperty("ota.topic.root"));
        assertEquals("40", p.getProperty("ota.mqtt.keepAliveSeconds"), "--set wins over the file");
    }

    @Test
    void negatableAndTypedOptionsTakeTheirValues() throws Exception {
        Path f = file("broker.properties", "tls = tls", "plain = true", "port = 1884", "topic-root = fleet1");
        CommandSpec spec = parsed("broker", "--config", f.toString());
        assertEquals(Boolean.TRUE, value(spec, "--plain"));
        assertEquals(1884, (Integer) value(spec, "--port"));
        assertEquals(dir.resolve("etc/tls").toAbsolutePath(), value(spec, "--tls"));
        CommandSpec overridden = parsed("broker", "--config", f.toString(), "--no-plain");
        assertEquals(Boolean.FALSE, value(overridden, "--plain"));
        Path submit = file("supplier.properties", "timeout = 90s", "no-wait = true");
        CommandSpec s = parsed("supplier", "submit", "--config", submit.toString(), "--package", "p.wotapkg");
        assertEquals(java.time.Duration.ofSeconds(90), value(s, "--timeout"));
        assertEquals(Boolean.TRUE, value(s, "--no-wait"));
    }

    @Test
    void refusesEveryProblemInTheFileAtOnceNamingTheUnknownKeys() throws Exception {
        Path f = file("oem.properties", "oem = /var/lib/wasmota/oem", "brokr = ssl://x:8883", "metrics-port = nine",
                "worker = w1", "worker = w2", "just words", "ota.mqtt.qos = high", "set = ota.topic.root=x", "timeout = 5x");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"oem", "serve", "--config", f.toString()}, CliEnv.system(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, e);
        assertTrue(e.startsWith("usage error: invalid settings file " + f + ": "), e);
        for (String problem : List.of("line 2: unknown key 'brokr'", "line 3: metrics-port = 'nine' is not a whole number",
                "line 5: worker is set again (first on line 4)", "line 6 is not KEY = VALUE",
                "line 7: ota.mqtt.qos = 'high' is not a whole number", "line 8: set cannot be set in a settings file",
                "line 9: unknown key 'timeout'", "known keys: api, api-tls, broker, broker-port, console, db,")) {
            assertTrue(e.contains(problem), () -> problem + " in: " + e);
        }
    }

    @Test
    void aMissingFileIsAUsageErrorAndEveryServeCommandTakesOne() {
        for (String[] command : new String[][] {{"oem", "serve"}, {"ecu", "serve"}, {"supplier", "submit"}, {"broker"}}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command),
                    java.util.stream.Stream.of("--config", dir.resolve("none.properties").toString())).toArray(String[]::new);
            int code = Main.run(args, CliEnv.system(), new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String e = err.toString(StandardCharsets.UTF_8);
            assertEquals(2, code, e);
            assertTrue(e.startsWith("usage error: --config " + dir.resolve("none.properties") + ": no such file"), e);
        }
    }
}

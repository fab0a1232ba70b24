package dev.wasmota.cli.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import dev.wasmota.sim.Demo;
import dev.wasmota.sim.SimOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota sim demo}: the whole story on one machine with the embedded broker. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the whole story on this machine: embedded broker, OEM, one supplier, 50 vehicles.",
                "%nSupplier submits v1, the OEM integrates and countersigns it, a campaign rolls it out in waves and every"
                        + " vehicle commits; a faulty v2 reaches the first wave, whose hosts roll back by themselves, and"
                        + " the campaign stops at its error threshold; a tampered package is refused by every vehicle."
                        + " Ends with a summary and an HTML report.%n"})
public final class SimDemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--vehicles", paramLabel = "N", defaultValue = "50", description = "fleet size (default: ${DEFAULT-VALUE})")
    int vehicles;

    @Option(names = "--report", paramLabel = "FILE", defaultValue = "sim-demo-report.html",
            description = "where the HTML report goes (default: ${DEFAULT-VALUE})")
    Path report;

    @Option(names = "--work", paramLabel = "DIR",
            description = "where vehicle state, the OEM and the broker keep their files (default: a new temporary directory)")
    Path work;

    @Option(names = "--corpus", paramLabel = "DIR", defaultValue = "${sys:ota.home:-.}/testdata/wasm",
            description = "the modules and vectors (default: ${DEFAULT-VALUE})")
    Path corpus;

    @Option(names = "--no-wait", description = "end when the story ends, even on a terminal (for scripts); otherwise a"
            + " terminal keeps the live console up until Enter")
    boolean noWait;

    @Override
    public Integer call() throws Exception {
        if (vehicles < 10 || vehicles > 1000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--vehicles must be 10..1000");
        }
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("ota-sim-demo");
        PrintWriter out = spec.commandLine().getOut();
        boolean wait = !noWait && System.console() != null;
        Demo.Outcome o = Demo.run(dir, vehicles, corpus, report, SimOutput.narrator(out), Optional.of(() -> {
            if (wait) {
                out.println("the live console stays up: press Enter to stop");
                out.flush();
                waitForEnter();
            }
        }));
        return o.logsIntact() == vehicles ? 0 : 1;
    }

    private static void waitForEnter() {
        try {
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            // standard input closed: stop
        }
    }
}

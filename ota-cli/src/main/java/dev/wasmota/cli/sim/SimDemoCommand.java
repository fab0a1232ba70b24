package dev.wasmota.cli.sim;

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

    @Override
    public Integer call() throws Exception {
        if (vehicles < 10 || vehicles > 1000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--vehicles must be 10..1000");
        }
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("ota-sim-demo");
        Demo.Outcome o = Demo.run(dir, vehicles, corpus, report, SimOutput.narrator(spec.commandLine().getOut()));
        return o.logsIntact() == vehicles ? 0 : 1;
    }
}

package dev.wasmota.cli.supplier;

import dev.wasmota.cli.IntakeCheckOptions;

import dev.wasmota.ecu.HostConfig;
import dev.wasmota.oem.vectors.TestVectors;
import dev.wasmota.oem.intake.CheckResult;
import dev.wasmota.oem.intake.IntakeCheck;
import dev.wasmota.oem.intake.IntakeFiles;
import dev.wasmota.oem.intake.IntakeOptions;
import dev.wasmota.oem.intake.IntakeRehearsal;
import dev.wasmota.oem.intake.IntakeReport;
import dev.wasmota.oem.intake.IntakeReportJson;
import dev.wasmota.oem.intake.RehearsalResult;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.cli.CliFiles;
import dev.wasmota.contract.io.DurableFiles;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ota supplier test}: the OEM intake's checks of a module, run on the supplier's machine
 * before it submits ({@link IntakeRehearsal}), with the OEM's defaults and report.
 */
@Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the OEM intake's checks of a module here, before submitting it.",
                "%nThe same checks as `ota oem integrate`, in the same order, in the vehicle's sandbox configuration"
                        + " and with the OEM's defaults: WASM validity and features, resource caps against the vehicle"
                        + " hosts' ceilings, imports against the capabilities, exports against the manifest (tick and"
                        + " init of the host's types), compilation with the vehicle's compiler within its bound, a"
                        + " warm-up, the test vectors, a soak of tick() calls with the random CAN inputs the OEM will"
                        + " use (seeded from the module's digest), and the worst call against the deadline's margin.",
                "%nLeft to the OEM: verifying the supplier signature and its certificate (here only the package's"
                        + " integrity; it may be unsigned), the module's owner, and the countersignature. Timing is"
                        + " measured on this machine.",
                "%nThe report, in the OEM's format, goes to --report (default PKG.report.json).",
                "%nExit codes: 0 every check passed, 3 the package does not hold together (digest, length), 4 policy"
                        + " (imports, caps, exports, compilation, malformed vectors), 5 the module misbehaved (failed"
                        + " vector, trap, deadline miss, failed health check, timing margin): what the OEM's intake"
                        + " would answer.%n"})
public final class SupplierTestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--package", required = true, paramLabel = "PKG", description = "the package (signed or not)")
    Path pkg;

    @Option(names = "--vectors", paramLabel = "FILE", description = "the test vectors to submit with it")
    Path vectors;

    @Option(names = "--report", paramLabel = "FILE", description = "where the report goes (default: PKG.report.json)")
    Path report;

    @Mixin
    IntakeCheckOptions intake;

    private final CliEnv env;

    public SupplierTestCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        byte[] packageBytes = CliFiles.readBounded(spec.commandLine(), pkg, PackageFile.MAX_FILE_BYTES, "package");
        Optional<byte[]> vectorBytes = vectors == null ? Optional.empty()
                : Optional.of(CliFiles.readBounded(spec.commandLine(), vectors, TestVectors.MAX_BYTES, "vector file"));
        PrintWriter w = spec.commandLine().getOut();
        w.printf("supplier test of %s (%d bytes)%s: the OEM intake's checks, in the vehicle's sandbox configuration%n",
                pkg, packageBytes.length, vectors == null ? ", no test vectors" : ", vectors " + vectors);
        w.flush();
        RehearsalResult result = IntakeRehearsal.rehearse(intake.builder(spec.commandLine(), env.clock(), w).build(), packageBytes, vectorBytes);
        Path reportFile = report != null ? report : IntakeFiles.reportPath(pkg);
        DurableFiles.writeAtomic(reportFile.toAbsolutePath(), IntakeReportJson.bytes(result.report()));
        summary(w, result, reportFile);
        result.requirePassed();
        return 0;
    }

    private static void summary(PrintWriter w, RehearsalResult result, Path reportFile) {
        IntakeReport r = result.report();
        String oemOnly = String.join(", ", IntakeRehearsal.OEM_ONLY.stream().map(IntakeCheck::label).toList());
        if (result.passed()) {
            IntakeReport.ModuleSummary m = r.module().orElseThrow();
            IntakeReport.Timing t = r.timing().orElseThrow();
            w.printf(Locale.ROOT, "passed: %s %s, every check of the module the OEM's intake makes; worst call %.1f us"
                            + " of %d us (budget %.1f us on this machine), %d vector cases, %d soak ticks%n", m.id(),
                    m.version(), t.worstNanos() / 1e3, t.deadlineUs(), t.budgetNanos() / 1e3, r.vectors().size(),
                    r.soak().map(IntakeReport.SoakSummary::ticksRun).orElse(0));
            w.printf("left to the OEM: %s%n", oemOnly);
        } else {
            IntakeReport.Rejection x = r.rejection().orElseThrow();
            w.printf("refused at check %s (%s, exit %d): the OEM's intake would refuse it the same way%n", x.check(),
                    x.reason(), x.exitCode());
        }
        w.printf("report  %s%n", reportFile);
        w.flush();
    }
}

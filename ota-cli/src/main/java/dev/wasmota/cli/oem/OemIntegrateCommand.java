package dev.wasmota.cli.oem;

import dev.wasmota.cli.IntakeCheckOptions;
import dev.wasmota.oem.campaign.CampaignWorkspace;
import dev.wasmota.oem.vectors.TestVectors;
import dev.wasmota.oem.intake.CheckResult;
import dev.wasmota.oem.intake.IntakeFiles;
import dev.wasmota.oem.intake.IntakeOptions;
import dev.wasmota.oem.intake.IntakePipeline;
import dev.wasmota.oem.intake.IntakeReport;
import dev.wasmota.oem.intake.IntakeResult;
import dev.wasmota.cli.CliEnv;
import dev.wasmota.cli.CliFiles;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota oem integrate}: the OEM intake of a supplier package, ending in a countersigned release or a refusal. */
@Command(name = "integrate", mixinStandardHelpOptions = true,
        description = {"Checks a supplier package and countersigns it if every check passes.",
                "%nChecks, in order: the supplier signature, certificate and capabilities; WASM validity, features"
                        + " and imports; exports equal to the manifest's; compilation with the vehicle's compiler within"
                        + " its time bound (5 s + 20 s per MiB), and a second generation of its bytecode to the same digest;"
                        + " a warm-up; the test vectors and a soak of tick() calls with random CAN"
                        + " inputs in the vehicle's own sandbox configuration; the worst call time against the deadline."
                        + " A deadline miss or a call over the margin is measured again with the same inputs before it"
                        + " refuses.",
                "%nThe countersignature states the digest of the compiled output, which each vehicle checks against"
                        + " its own compilation. The report goes to OUT.report.json in every case, the release to OUT only when"
                        + " accepted; the OEM's audit trail records the outcome and the module's owner (in the OEM"
                        + " database, shared with the oem serve workers).",
                "%nExit codes: 0 countersigned, 3 signature or certificate, 4 policy (capabilities, imports, exports,"
                        + " features, compilation or its time bound, malformed vectors), 5 the module misbehaved (failed vector, trap,"
                        + " deadline miss, failed health check, timing margin).%n"})
public final class OemIntegrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OemOptions oem;

    @Option(names = "--package", required = true, paramLabel = "PKG", description = "the supplier-signed package")
    Path pkg;

    @Option(names = "--vectors", paramLabel = "FILE", description = "the supplier's test vectors (CONTRACT format)")
    Path vectors;

    @Option(names = "--out", required = true, paramLabel = "PKG",
            description = "where to write the countersigned package; must not exist")
    Path out;

    @Mixin
    IntakeCheckOptions intake;

    private final CliEnv env;

    public OemIntegrateCommand(CliEnv env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        IntakeFiles.requireAbsent(out);
        byte[] packageBytes = CliFiles.readBounded(spec.commandLine(), pkg, PackageFile.MAX_FILE_BYTES, "package");
        Optional<byte[]> vectorBytes = vectors == null ? Optional.empty()
                : Optional.of(CliFiles.readBounded(spec.commandLine(), vectors, TestVectors.MAX_BYTES, "vector file"));
        PrintWriter w = spec.commandLine().getOut();
        IntakeOptions checked = intake.builder(spec.commandLine(), env.clock(), w).build();
        try (CampaignWorkspace ws = oem.open(env, "cli")) {
            IntakeOptions options = checked.toBuilder().audit(ws.trail()).actor("cli").build();
            w.printf("intake of %s (%d bytes)%s%n", pkg, packageBytes.length, vectors == null ? ", no test vectors"
                    : ", vectors " + vectors);
            w.flush();
            IntakeResult result = new IntakePipeline(ws.pki(), options, ws.owners()).integrate(packageBytes, vectorBytes);
            Path report = IntakeFiles.write(result, out);
            summary(w, result, report);
            result.release();
        }
        return 0;
    }

    private void summary(PrintWriter w, IntakeResult result, Path report) {
        IntakeReport r = result.report();
        double totalMs = r.checks().stream().mapToDouble(CheckResult::millis).sum();
        if (result.accepted()) {
            IntakeReport.ModuleSummary m = r.module().orElseThrow();
            IntakeReport.Timing t = r.timing().orElseThrow();
            w.printf(Locale.ROOT, "accepted %s %s (security version %d) from %s in %.1f s: worst call %.1f us of %d us,"
                            + " %d vector cases, %d soak ticks%n", m.id(), m.version(), m.securityVersion(), m.supplier(),
                    totalMs / 1e3, t.worstNanos() / 1e3, t.deadlineUs(), r.vectors().size(),
                    r.soak().map(IntakeReport.SoakSummary::ticksRun).orElse(0));
            w.printf("release %s (sha256 %s)%nreport  %s%naudit   the OEM audit trail: %s, %s%n", out,
                    r.releaseSha256().orElseThrow(), report, "INTAKE_ACCEPTED", "RELEASE_COUNTERSIGNED");
        } else {
            IntakeReport.Rejection x = r.rejection().orElseThrow();
            w.printf("refused at check %s (%s, exit %d); nothing countersigned, %s not written%nreport  %s%n"
                    + "audit   the OEM audit trail: INTAKE_REJECTED%n", x.check(), x.reason(), x.exitCode(), out, report);
        }
        w.flush();
    }
}

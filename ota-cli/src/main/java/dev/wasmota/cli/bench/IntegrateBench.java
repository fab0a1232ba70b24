package dev.wasmota.cli.bench;

import dev.wasmota.audit.AuditLog;
import dev.wasmota.contract.stats.Percentiles;
import dev.wasmota.oem.intake.CheckResult;
import dev.wasmota.oem.intake.IntakeCheck;
import dev.wasmota.oem.intake.IntakeFiles;
import dev.wasmota.oem.intake.IntakeOptions;
import dev.wasmota.oem.intake.IntakePipeline;
import dev.wasmota.oem.intake.IntakeResult;
import dev.wasmota.cli.CliFiles;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageSigner;
import dev.wasmota.signing.pkg.PackageSpec;
import dev.wasmota.signing.pkg.Packager;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.signing.pki.SupplierKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.bouncycastle.cert.X509CertificateHolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ota bench integrate}: how many packages the OEM intake gets through per minute, one at a
 * time, for the corpus's realistic module (brake_temp with its vectors): package bytes in, every
 * check, countersignature, audit records, release and report written. Each run compiles afresh,
 * as a new submission would be.
 */
@Command(name = "integrate", mixinStandardHelpOptions = true,
        description = {"Measures how many packages the OEM intake integrates per minute.",
                "%nDefault: brake_temp with its vectors. Each run: verify, validate, compile twice, warm-up, vectors, soak, timing, countersign, audit records,"
                        + " report and release files. Prints the median over the runs and each stage's share of the"
                        + " time; a refused run is shown and not counted.%n"})
public final class IntegrateBench implements Callable<Integer> {
    static final String CAPABILITIES = "log,can.read:1A0-1A3,can.read:1B0,can.write:3A0-3A3";

    @Spec
    CommandSpec spec;

    @Option(names = "--wasm", paramLabel = "FILE", description = "module (default: ${DEFAULT-VALUE})",
            defaultValue = "${sys:ota.home:-.}/testdata/wasm/brake_temp.wasm")
    Path wasm;

    @Option(names = "--vectors", paramLabel = "FILE", description = "its vectors (default: ${DEFAULT-VALUE})",
            defaultValue = "${sys:ota.home:-.}/testdata/wasm/brake_temp.vectors.json")
    Path vectors;

    @Option(names = "--capabilities", paramLabel = "LIST", defaultValue = CAPABILITIES,
            description = "capabilities to package the module with (default: ${DEFAULT-VALUE})")
    String capabilities;

    @Option(names = "--deadline-us", paramLabel = "N", defaultValue = "2000", description = "per-call deadline (default: ${DEFAULT-VALUE})")
    long deadlineUs;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "10", description = "measured runs after one warm-up (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--soak-ticks", paramLabel = "N", defaultValue = "" + IntakeOptions.DEFAULT_SOAK_TICKS,
            description = "soak ticks per run (default: ${DEFAULT-VALUE})")
    int soakTicks;

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--runs must be at least 1");
        }
        byte[] module = CliFiles.readBounded(spec.commandLine(), wasm, Manifest.MAX_WASM_LENGTH, "module");
        byte[] vectorBytes = CliFiles.readBounded(spec.commandLine(), vectors, 1 << 20, "vector file");
        PrintWriter out = spec.commandLine().getOut();
        Path tmp = Files.createTempDirectory("ota-bench-integrate");
        try {
            Clock clock = Clock.systemUTC();
            OemPki oem = OemPki.create(tmp.resolve("oem"), clock, new SecureRandom());
            byte[] submission = submission(oem, module, clock);
            out.printf("package: %d bytes (module %s, %d bytes), %d soak ticks, deadline %d us; warming up...%n",
                    submission.length, wasm.getFileName(), module.length, soakTicks, deadlineUs);
            out.flush();
            try (AuditLog audit = AuditLog.open(tmp.resolve("oem").resolve("audit.log"), clock)) {
                IntakePipeline pipeline = new IntakePipeline(oem, IntakeOptions.builder().soakTicks(soakTicks)
                        .clock(clock).audit(audit).build());
                Run warm = run(pipeline, submission, vectorBytes, tmp.resolve("warm-up.wotapkg"));
                out.printf(Locale.ROOT, "warm-up: %.3f s%n", warm.nanos / 1e9);
                List<Long> totals = new ArrayList<>();
                Map<IntakeCheck, Long> stages = new EnumMap<>(IntakeCheck.class);
                for (int i = 0; i < runs; i++) {
                    Run r = run(pipeline, submission, vectorBytes, tmp.resolve("run-" + i + ".wotapkg"));
                    String outcome = r.result.rejection().map(e -> "REFUSED " + e.userMessage() + "; not counted")
                            .orElse(perStage(r));
                    out.printf(Locale.ROOT, "run %d/%d: %.3f s (%s)%n", i + 1, runs, r.nanos / 1e9, outcome);
                    out.flush();
                    if (r.result.accepted()) {
                        totals.add(r.nanos);
                        r.result.report().checks().forEach(c -> stages.merge(c.check(), c.nanos(), Long::sum));
                    }
                }
                if (totals.isEmpty()) {
                    throw new IllegalStateException("every run was refused; is the machine overloaded? (see the runs above)");
                }
                report(out, totals.stream().mapToLong(Long::longValue).toArray(), stages, runs);
            }
            return 0;
        } finally {
            deleteTree(tmp);
        }
    }

    private record Run(IntakeResult result, long nanos) {
    }

    private static Run run(IntakePipeline pipeline, byte[] submission, byte[] vectorBytes, Path out) throws IOException {
        long start = System.nanoTime();
        IntakeResult result = pipeline.integrate(submission, Optional.of(vectorBytes));
        IntakeFiles.write(result, out);
        return new Run(result, System.nanoTime() - start);
    }

    private static String perStage(Run r) {
        StringBuilder b = new StringBuilder();
        for (CheckResult c : r.result.report().checks()) {
            b.append(b.length() == 0 ? "" : ", ").append(c.check().label())
                    .append(String.format(Locale.ROOT, " %.0f ms", c.millis()));
        }
        return b.toString();
    }

    private static void report(PrintWriter out, long[] totals, Map<IntakeCheck, Long> stages, int runs) {
        Percentiles p = Percentiles.of(totals);
        double medianS = p.median() / 1e9;
        out.printf(Locale.ROOT, "integrate_per_min=%.1f (median of %d accepted runs of %d)%n", 60 / medianS,
                totals.length, runs);
        out.printf(Locale.ROOT, "integrate_s=%.3f (median seconds per package; min %.3f, max %.3f)%n", medianS,
                p.min() / 1e9, p.max() / 1e9);
        long all = 0;
        for (long t : totals) {
            all += t;
        }
        long inStages = 0;
        for (Map.Entry<IntakeCheck, Long> e : stages.entrySet()) {
            inStages += e.getValue();
            out.printf(Locale.ROOT, "share_%s=%.1f%%%n", e.getKey().label().replace('-', '_'), 100.0 * e.getValue() / all);
        }
        out.printf(Locale.ROOT, "share_other=%.1f%% (package parsing, audit records, report and release files)%n",
                100.0 * (all - inStages) / all);
        out.flush();
    }

    private byte[] submission(OemPki oem, byte[] module, Clock clock) {
        SecureRandom random = new SecureRandom();
        CapabilitySet caps = CapabilitySet.parse(capabilities);
        KeyPair keys = SupplierKeys.generate("bench", random);
        X509CertificateHolder cert = oem.enroll(SupplierKeys.request("bench", keys), "bench", caps, clock.instant(),
                Duration.ofDays(1), random);
        ModulePackage unsigned = Packager.build(module, new PackageSpec("brake-temp", "1.0.0", 1,
                PackageSpec.UNASSIGNED, caps, 1, deadlineUs, 10, List.of(), Optional.empty()));
        return PackageFile.toBytes(new PackageSigner(clock).sign(unsigned, keys.getPrivate(),
                List.of(cert, oem.supplierCa().cert())));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

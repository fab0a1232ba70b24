package dev.wasmota.cli.bench;

import dev.wasmota.contract.stats.Percentiles;

import dev.wasmota.cli.CliFiles;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageSigner;
import dev.wasmota.signing.pkg.PackageSpec;
import dev.wasmota.signing.pkg.PackageVerifier;
import dev.wasmota.signing.pkg.Packager;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.signing.pki.SupplierKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.bouncycastle.cert.X509CertificateHolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ota bench verify}: how many packages per second the vehicle's gate verifies (file bytes
 * to a trusted manifest: both signatures, both chains, digest), for a ~100 KB module.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Measures package verifications per second.", "A ~100 KB module with both signatures, one thread."})
public final class VerifyBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--wasm", paramLabel = "FILE", description = "module to package (default: ${DEFAULT-VALUE})",
            defaultValue = "${sys:ota.home:-.}/testdata/wasm/large_100k.wasm")
    Path wasm;

    @Option(names = "--rounds", defaultValue = "15", description = "measured rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--round-ms", defaultValue = "400", description = "length of one round in ms (default: ${DEFAULT-VALUE})")
    long roundMs;

    @Override
    public Integer call() throws Exception {
        byte[] bytes = CliFiles.readBounded(spec.commandLine(), wasm, Manifest.MAX_WASM_LENGTH, "module");
        Path tmp = Files.createTempDirectory("ota-bench-verify");
        try {
            Clock clock = Clock.systemUTC();
            SecureRandom random = new SecureRandom();
            OemPki oem = OemPki.create(tmp.resolve("oem"), clock, random);
            KeyPair keys = SupplierKeys.generate("bench", random);
            X509CertificateHolder cert = oem.enroll(SupplierKeys.request("bench", keys), "bench",
                    CapabilitySet.parse("log"), clock.instant(), Duration.ofDays(1), random);
            ModulePackage unsigned = Packager.build(bytes, new PackageSpec("bench", "1.0.0", 1, PackageSpec.UNASSIGNED,
                    CapabilitySet.parse("log"), 16, 10_000, 10, List.of(), Optional.empty()));
            PackageSigner signer = new PackageSigner(clock);
            ModulePackage pkg = signer.countersign(signer.sign(unsigned, keys.getPrivate(), List.of(cert, oem.supplierCa().cert())),
                    oem.release().key(), oem.release().cert());
            byte[] file = PackageFile.toBytes(pkg);
            PackageVerifier verifier = new PackageVerifier(oem.trustStore(), clock);
            var out = spec.commandLine().getOut();
            out.printf("package: %d bytes (module %d bytes), both signatures; warming up...%n", file.length, bytes.length);
            out.flush();
            runRound(verifier, file, 2000);
            long[] nanosPerVerify = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                nanosPerVerify[i] = runRound(verifier, file, roundMs);
            }
            Percentiles s = Percentiles.of(nanosPerVerify);
            out.printf("verify_per_s=%.0f (median of %d rounds; min %.0f, max %.0f)%n", 1e9 / s.median(), rounds,
                    1e9 / s.max(), 1e9 / s.min());
            out.printf("verify_us=%.1f (median per verification)%n", s.median() / 1e3);
            return 0;
        } finally {
            try (Stream<Path> walk = Files.walk(tmp)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Verifies {@code file} for about {@code ms}; returns the mean nanoseconds per verification. */
    private static long runRound(PackageVerifier verifier, byte[] file, long ms) {
        long start = System.nanoTime();
        long end = start + ms * 1_000_000;
        int n = 0;
        long now;
        do {
            verifier.verify(PackageFile.fromBytes(file));
            n++;
            now = System.nanoTime();
        } while (now < end);
        return (now - start) / n;
    }
}

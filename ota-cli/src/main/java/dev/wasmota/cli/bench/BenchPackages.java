package dev.wasmota.cli.bench;

import dev.wasmota.ecu.sandbox.CompiledModule;
import dev.wasmota.ecu.sandbox.CompiledOutputDigest;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageSigner;
import dev.wasmota.signing.pkg.PackageSpec;
import dev.wasmota.signing.pkg.Packager;
import dev.wasmota.signing.pkg.ReleaseAttributes;
import dev.wasmota.oem.pki.OemPki;
import dev.wasmota.signing.pki.SupplierKeys;
import dev.wasmota.signing.pki.TrustStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Signed and countersigned packages for the install and activate benchmarks, as {@code bench
 * verify} builds them: a fresh OEM PKI (root, supplier CA, release key) and one enrolled
 * supplier, all in a temp directory. Signing is the supplier's and the OEM's work, never timed.
 */
final class BenchPackages implements AutoCloseable {
    static final String SUPPLIER = "bench";

    private final Path dir;
    private final Clock clock = Clock.systemUTC();
    private final OemPki oem;
    private final KeyPair keys;
    private final X509CertificateHolder cert;
    private final PackageSigner signer;

    BenchPackages(CapabilitySet capabilities) throws IOException {
        this.dir = Files.createTempDirectory("ota-bench-pki");
        SecureRandom random = new SecureRandom();
        this.oem = OemPki.create(dir.resolve("oem"), clock, random);
        this.keys = SupplierKeys.generate(SUPPLIER, random);
        this.cert = oem.enroll(SupplierKeys.request(SUPPLIER, keys), SUPPLIER, capabilities, clock.instant(),
                Duration.ofDays(1), random);
        this.signer = new PackageSigner(clock);
    }

    /** The OEM directory the packages' keys are in, as {@code ota oem init} writes one. */
    Path oemDir() {
        return dir.resolve("oem");
    }

    /** The trust anchors a vehicle would be provisioned with. */
    TrustStore trust() {
        return oem.trustStore();
    }

    /** The package file bytes of {@code wasm} as {@code moduleId} {@code version}, both signatures on. */
    byte[] build(byte[] wasm, PackageSpec spec) {
        ModulePackage unsigned = Packager.build(wasm, spec);
        ModulePackage signed = signer.sign(unsigned, keys.getPrivate(), List.of(cert, oem.supplierCa().cert()));
        return PackageFile.toBytes(signer.countersign(signed, oem.release().key(), oem.release().cert()));
    }

    /**
     * As {@link #build}, with the OEM's statement of the compiled output in the countersignature,
     * as intake makes it (the digest of this host's own compilation of {@code wasm}).
     */
    byte[] released(byte[] wasm, PackageSpec spec) {
        ModulePackage unsigned = Packager.build(wasm, spec);
        ModulePackage signed = signer.sign(unsigned, keys.getPrivate(), List.of(cert, oem.supplierCa().cert()));
        String compiled = CompiledModule.compile(wasm, spec.capabilities()).compiledSha256();
        return PackageFile.toBytes(signer.countersign(signed, oem.release().key(), oem.release().cert(),
                ReleaseAttributes.of(new ReleaseAttributes.CompiledOutput(CompiledOutputDigest.COMPILER, compiled))));
    }

    static PackageSpec spec(String moduleId, String version, long securityVersion, CapabilitySet capabilities) {
        return new PackageSpec(moduleId, version, securityVersion, PackageSpec.UNASSIGNED, capabilities, 16, 10_000,
                10, List.of(), Optional.empty());
    }

    /**
     * {@code wasm} with a custom section {@code ota-bench-build} holding {@code build}: the same
     * code, different bytes and digest, so each "new version" is compiled as a real new build is.
     */
    static byte[] withBuildTag(byte[] wasm, long build) {
        byte[] name = "ota-bench-build".getBytes(StandardCharsets.UTF_8);
        byte[] payload = Long.toString(build).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream section = new ByteArrayOutputStream();
        leb128(section, name.length);
        section.writeBytes(name);
        section.writeBytes(payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream(wasm.length + 32);
        out.writeBytes(wasm);
        out.write(0); // custom section id
        leb128(out, section.size());
        out.writeBytes(section.toByteArray());
        return out.toByteArray();
    }

    static void leb128(ByteArrayOutputStream out, long value) {
        long v = value;
        do {
            int b = (int) (v & 0x7f);
            v >>>= 7;
            out.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
    }

    /** Deletes a temp directory tree, quietly. */
    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    @Override
    public void close() {
        deleteTree(dir);
    }
}

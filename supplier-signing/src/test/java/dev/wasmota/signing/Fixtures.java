package dev.wasmota.signing;

import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageSigner;
import dev.wasmota.signing.pkg.PackageSpec;
import dev.wasmota.signing.pkg.Packager;
import dev.wasmota.signing.pki.TrustHierarchy;
import dev.wasmota.signing.pki.SupplierKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;

/** An OEM, an enrolled supplier and corpus modules, all from a fixed clock and seeded randomness. */
public final class Fixtures {
    public static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");
    public static final CapabilitySet HEALTHY_CAPS = CapabilitySet.parse("log,clock,can.read:120,can.write:220");
    public static final CapabilitySet SUPPLIER_CAPS = CapabilitySet.parse("log,clock,can.read:100-1ff,can.write:200-2ff");

    public final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    public final TrustHierarchy oem;
    public final Supplier acme;

    /** A supplier's key and certificate chain (leaf, supplier CA). */
    public record Supplier(String id, KeyPair keys, List<X509CertificateHolder> chain) {
    }

    public Fixtures(Path dir) {
        this(dir, 1);
    }

    /** An OEM whose keys derive from {@code seed}: different seeds, different OEMs. */
    public Fixtures(Path dir, long seed) {
        try {
            this.oem = TrustHierarchy.create(dir.resolve("oem").resolve(TrustHierarchy.TRUST_DIR), clock, seeded(seed * 1000));
            oem.writeKeys(oemDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.acme = supplier("acme", SUPPLIER_CAPS, T0, TrustHierarchy.SUPPLIER_VALIDITY, 2);
    }

    /** The OEM's keys as an OEM directory holds them (oem-integration's {@code OemPki.load} reads it). */
    public Path oemDir() {
        return oem.trustDir().getParent();
    }

    public Supplier supplier(String id, CapabilitySet caps, Instant from, Duration validity, long seed) {
        KeyPair keys = SupplierKeys.generate(id, seeded(seed));
        X509CertificateHolder cert = oem.enroll(SupplierKeys.request(id, keys), id, caps, from, validity, seeded(seed + 100));
        return new Supplier(id, keys, List.of(cert, oem.supplierCa().cert()));
    }

    public static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where {@code needle} first stands in {@code haystack}; fails the test if nowhere. */
    public static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /** Offsets where a section of {@code wasm} ends, and the end of the 8-byte header. */
    public static java.util.Set<Integer> sectionBoundaries(byte[] wasm) {
        java.util.Set<Integer> out = new java.util.TreeSet<>(List.of(8));
        int pos = 8;
        while (pos < wasm.length) {
            pos++;
            int size = 0;
            int shift = 0;
            int b;
            do {
                b = wasm[pos++] & 0xFF;
                size |= (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            pos += size;
            out.add(pos);
        }
        if (pos != wasm.length) {
            throw new AssertionError("sections end at " + pos + ", not at " + wasm.length);
        }
        return out;
    }

    public static Path corpus(String name) {
        String dir = System.getProperty("ota.corpus");
        Path p = dir != null ? Path.of(dir) : Path.of("..", "testdata", "wasm");
        return p.resolve(name);
    }

    public static byte[] wasm(String name) {
        try {
            return Files.readAllBytes(corpus(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static PackageSpec spec(String moduleId, String version, long securityVersion, CapabilitySet caps) {
        return new PackageSpec(moduleId, version, securityVersion, PackageSpec.UNASSIGNED, caps, 1, 2000, 10,
                List.of("ecu-a"), Optional.empty());
    }

    /**
     * Caps stating what {@code wasm} declares, each figure held to what a manifest can state at all,
     * with {@code spec}'s table room if it asks for some: for manifests written by hand, bypassing
     * the packager's checks.
     */
    public static dev.wasmota.signing.manifest.ResourceCaps capsOf(byte[] wasm, PackageSpec spec) {
        var d = dev.wasmota.signing.wasm.DeclaredResources.of(wasm);
        var max = dev.wasmota.signing.manifest.ResourceCaps.FORMAT_MAXIMA;
        return new dev.wasmota.signing.manifest.ResourceCaps(Math.min(d.tables(), max.tables()),
                Math.min(spec.tableElements().orElse(d.tableElements()), max.tableElements()),
                Math.min(d.globals(), max.globals()), Math.min(d.dataSegments(), max.dataSegments()),
                Math.min(d.dataBytes(), max.dataBytes()), Math.min(d.elementSegments(), max.elementSegments()),
                Math.min(d.elementEntries(), max.elementEntries()));
    }

    /** healthy_v1 packaged, not signed. */
    public ModulePackage unsignedHealthy(String version, String wasmFile) {
        return Packager.build(wasm(wasmFile), spec("healthy", version, 1, HEALTHY_CAPS));
    }

    public ModulePackage supplierSigned(ModulePackage pkg, Supplier s) {
        return new PackageSigner(clock).sign(pkg, s.keys().getPrivate(), s.chain());
    }

    public ModulePackage countersigned(ModulePackage supplierSigned) {
        return new PackageSigner(clock).countersign(supplierSigned, oem.release().key(), oem.release().cert());
    }

    /** Countersigned by the OEM stating {@code owner} as the module's owner, as an intake would (or a bypassed one). */
    public ModulePackage countersigned(ModulePackage supplierSigned, dev.wasmota.signing.pkg.ReleaseAttributes.ModuleOwner owner) {
        return new PackageSigner(clock).countersign(supplierSigned, oem.release().key(), oem.release().cert(),
                dev.wasmota.signing.pkg.ReleaseAttributes.of(owner));
    }

    /** healthy_v1, signed by acme and countersigned by the OEM. */
    public ModulePackage released() {
        return countersigned(supplierSigned(unsignedHealthy("1.0.0", "healthy_v1.wasm"), acme));
    }
}

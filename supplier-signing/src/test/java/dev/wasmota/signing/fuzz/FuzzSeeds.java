package dev.wasmota.signing.fuzz;

import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fuzz seeds made from {@link Fixtures} (seed 1, T0): healthy_v1 packaged, supplier-signed
 * and released, and its manifest. They embed the manifest format, so they are made again whenever
 * it changes: run {@link #main} from the module directory (or let {@code FuzzSeedsTest} say which
 * differ). Crash reproducers beside them are kept as found.
 */
final class FuzzSeeds {
    static final Path INPUTS = Path.of("src", "test", "resources", "dev", "wasmota", "signing", "fuzz");

    private FuzzSeeds() {
    }

    /** Each seed's path under {@link #INPUTS} and its bytes. */
    static Map<Path, byte[]> seeds() {
        Fixtures fx = FuzzFixtures.fixtures();
        ModulePackage unsigned = fx.unsignedHealthy("1.0.0", "healthy_v1.wasm");
        ModulePackage supplierSigned = fx.supplierSigned(unsigned, fx.acme);
        Path packages = Path.of("PackageFileFuzzTestInputs", "readsAndVerifiesOrRefuses");
        Map<Path, byte[]> out = new LinkedHashMap<>();
        out.put(packages.resolve("unsigned_healthy_v1"), PackageFile.toBytes(unsigned));
        out.put(packages.resolve("supplier_signed_healthy_v1"), PackageFile.toBytes(supplierSigned));
        out.put(packages.resolve("released_healthy_v1"), PackageFile.toBytes(fx.countersigned(supplierSigned)));
        out.put(Path.of("ManifestCodecFuzzTestInputs", "parsesOnlyCanonicalManifests", "healthy_v1_manifest"),
                supplierSigned.manifestBytes());
        return out;
    }

    /** Writes every seed into {@code supplier-signing/}{@link #INPUTS}; run with that directory as the working directory. */
    public static void main(String[] args) throws IOException {
        for (Map.Entry<Path, byte[]> e : seeds().entrySet()) {
            Path file = INPUTS.resolve(e.getKey());
            Files.write(file, e.getValue());
            System.out.println("wrote " + file + " (" + e.getValue().length + " bytes)");
        }
    }
}

package dev.wasmota.signing.pkg;

import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.wasmota.signing.Digests;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.signing.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.wasm.ModuleInterface;
import java.util.Optional;

/**
 * Builds an unsigned package from a {@code .wasm} and a {@link PackageSpec}: exports and imports
 * are read from the binary with Chicory, imports checked against the capabilities, and the
 * manifest bound to the binary by SHA-256 and length.
 */
public final class Packager {
    private Packager() {
    }

    public static ModulePackage build(byte[] wasm, PackageSpec spec) {
        if (wasm.length > Manifest.MAX_WASM_LENGTH) {
            throw new RejectedException(PolicyFailure.INVALID_WASM,
                    "module of " + wasm.length + " bytes exceeds " + Manifest.MAX_WASM_LENGTH);
        }
        ModuleInterface iface = ModuleInterface.read(wasm).checkAgainst(spec.capabilities());
        Optional<MemoryLimits> memory = iface.declaredMemory();
        if (memory.isPresent() && memory.get().initialPages() > spec.memoryPages()) {
            throw new RejectedException(PolicyFailure.MEMORY_LIMIT, "module needs " + memory.get().initialPages()
                    + " pages at start; --memory-pages allows " + spec.memoryPages());
        }
        Manifest manifest = new Manifest(spec.moduleId(), spec.version(), spec.securityVersion(), spec.supplierId(),
                Digests.sha256Hex(wasm), wasm.length, iface.exports(), spec.capabilities(), spec.memoryPages(),
                spec.deadlineUs(), spec.periodMs(), spec.hardwareIds(), spec.sbomSha256());
        return new ModulePackage(ManifestCodec.canonicalBytes(manifest), wasm, Optional.empty());
    }
}

package dev.wasmota.signing.pkg;

import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.wasmota.contract.Digests;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.manifest.ResourceCaps;
import dev.wasmota.signing.wasm.DeclaredResources;
import dev.wasmota.signing.wasm.ModuleInterface;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Builds an unsigned package from a {@code .wasm} and a {@link PackageSpec}: exports and imports
 * are read from the binary with Chicory, imports checked against the capabilities, the resource
 * caps taken from what the binary declares (checked before it is parsed), and the manifest bound
 * to the binary by SHA-256 and length.
 */
public final class Packager {
    private Packager() {
    }

    /**
     * As {@link #build(byte[], PackageSpec)}, carrying {@code sbom} (the supplier's SBOM, at most
     * {@link PackageFile#MAX_SBOM_BYTES}) in the package, its SHA-256 the manifest's {@code sbomSha256}.
     */
    public static ModulePackage build(byte[] wasm, PackageSpec spec, byte[] sbom) {
        if (sbom.length == 0 || sbom.length > PackageFile.MAX_SBOM_BYTES) {
            throw new RejectedException(PolicyFailure.MALFORMED_PACKAGE,
                    "SBOM of " + sbom.length + " bytes; allowed 1.." + PackageFile.MAX_SBOM_BYTES);
        }
        PackageSpec withDigest = new PackageSpec(spec.moduleId(), spec.version(), spec.securityVersion(),
                spec.supplierId(), spec.capabilities(), spec.memoryPages(), spec.deadlineUs(), spec.periodMs(),
                spec.hardwareIds(), Optional.of(Digests.sha256Hex(sbom)), spec.tableElements());
        return build(wasm, withDigest).withSbom(sbom);
    }

    /**
     * @throws RejectedException {@link PolicyFailure#RESOURCE_LIMIT} when the module declares more
     *     than {@link ResourceCaps#DEFAULT_CEILINGS} or asks for table room beyond it; the reasons
     *     of {@link ModuleInterface#checkAgainst} and {@link PolicyFailure#MEMORY_LIMIT}
     */
    public static ModulePackage build(byte[] wasm, PackageSpec spec) {
        if (wasm.length > Manifest.MAX_WASM_LENGTH) {
            throw new RejectedException(PolicyFailure.INVALID_WASM,
                    "module of " + wasm.length + " bytes exceeds " + Manifest.MAX_WASM_LENGTH);
        }
        ResourceCaps resources = resourceCaps(DeclaredResources.of(wasm), spec.tableElements(),
                ResourceCaps.DEFAULT_CEILINGS);
        ModuleInterface iface = ModuleInterface.read(wasm).checkAgainst(spec.capabilities());
        Optional<MemoryLimits> memory = iface.declaredMemory();
        if (memory.isPresent() && memory.get().initialPages() > spec.memoryPages()) {
            throw new RejectedException(PolicyFailure.MEMORY_LIMIT, "module needs " + memory.get().initialPages()
                    + " pages at start; --memory-pages allows " + spec.memoryPages());
        }
        Manifest manifest = new Manifest(spec.moduleId(), spec.version(), spec.securityVersion(), spec.supplierId(),
                Digests.sha256Hex(wasm), wasm.length, iface.exports(), spec.capabilities(), spec.memoryPages(),
                resources, spec.deadlineUs(), spec.periodMs(), spec.hardwareIds(), spec.sbomSha256());
        return new ModulePackage(ManifestCodec.canonicalBytes(manifest), wasm, Optional.empty());
    }

    /**
     * The caps a package states: exactly what the module declares, with room for
     * {@code tableElements} table elements in all when asked (growth), all within {@code ceilings}.
     *
     * @throws RejectedException {@link PolicyFailure#RESOURCE_LIMIT} naming what is over
     */
    public static ResourceCaps resourceCaps(DeclaredResources declared, OptionalLong tableElements,
            ResourceCaps ceilings) {
        declared.requireWithin(ceilings, "the host's ceilings");
        ResourceCaps caps = declared.exactCaps();
        if (tableElements.isEmpty()) {
            return caps;
        }
        long wanted = tableElements.getAsLong();
        if (wanted < declared.tableElements() || wanted > ceilings.tableElements()) {
            throw new RejectedException(PolicyFailure.RESOURCE_LIMIT, String.format(Locale.ROOT,
                    "--table-elements %,d is outside %,d (what the module's tables declare at start) .. %,d (the"
                            + " host's ceiling)", wanted, declared.tableElements(), ceilings.tableElements()));
        }
        return caps.withTableElements(wanted);
    }
}

package dev.wasmota.signing.manifest;

import dev.wasmota.contract.Digests;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a supplier declares about a module, and what both signatures bind: identity, versions,
 * the binary's digest and length, exports, capabilities and run-time limits. Constructed values
 * are always within their bounds; {@link ManifestCodec} gives the canonical bytes.
 *
 * @param moduleId module identifier, e.g. {@code brake-temp}
 * @param version semantic version of this release
 * @param securityVersion monotonic anti-rollback counter; a vehicle never installs a lower one
 * @param supplierId the supplier, equal to the CN of the signing certificate
 * @param wasmSha256 lowercase hex SHA-256 of the {@code .wasm}
 * @param wasmLength length of the {@code .wasm} in bytes
 * @param exports the module's function exports with their types, sorted by name
 * @param capabilities requested capabilities
 * @param memoryPages most 64 KiB pages of linear memory the module may use
 * @param resources the most it may make the host allocate besides memory: tables and their
 *     elements (growth included), globals, data and element segments
 * @param deadlineUs per-call budget in microseconds
 * @param periodMs period of {@code tick()} in milliseconds
 * @param hardwareIds hardware ids the module may run on, sorted; empty means any
 * @param sbomSha256 SHA-256 of the SBOM document, if one was supplied
 */
public record Manifest(
        String moduleId,
        String version,
        long securityVersion,
        String supplierId,
        String wasmSha256,
        long wasmLength,
        List<Export> exports,
        CapabilitySet capabilities,
        int memoryPages,
        ResourceCaps resources,
        long deadlineUs,
        long periodMs,
        List<String> hardwareIds,
        Optional<String> sbomSha256) {

    /** Identifier of modules and suppliers: also safe as a directory name. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** Semantic Versioning 2.0.0. */
    public static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})"
                    + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");
    public static final Pattern HARDWARE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final int MAX_VERSION_LENGTH = 64;
    public static final long MAX_SECURITY_VERSION = 0xFFFF_FFFFL;
    public static final long MAX_WASM_LENGTH = 8L * 1024 * 1024;
    public static final int MAX_EXPORTS = 1024;
    public static final int MAX_EXPORT_NAME_LENGTH = 256;
    public static final int MAX_MEMORY_PAGES = 65536;
    public static final long MAX_DEADLINE_US = 10_000_000L;
    public static final long MAX_PERIOD_MS = 3_600_000L;
    public static final int MAX_HARDWARE_IDS = 32;

    /** A function export: its name and WASM type. */
    public record Export(String name, FunctionType type) {
        public Export {
            if (name == null || name.isEmpty() || name.length() > MAX_EXPORT_NAME_LENGTH) {
                throw bad("export name empty or longer than " + MAX_EXPORT_NAME_LENGTH);
            }
        }
    }

    public Manifest {
        require(moduleId != null && ID.matcher(moduleId).matches(), "moduleId '" + moduleId + "' is not " + ID.pattern());
        require(version != null && version.length() <= MAX_VERSION_LENGTH && SEMVER.matcher(version).matches(),
                "version '" + version + "' is not a semantic version");
        require(securityVersion >= 0 && securityVersion <= MAX_SECURITY_VERSION, "securityVersion outside 0..2^32-1");
        require(supplierId != null && ID.matcher(supplierId).matches(), "supplierId '" + supplierId + "' is not " + ID.pattern());
        require(wasmSha256 != null && Digests.SHA256_HEX.matcher(wasmSha256).matches(), "wasm sha256 is not 64 lowercase hex digits");
        require(wasmLength > 0 && wasmLength <= MAX_WASM_LENGTH, "wasm length outside 1.." + MAX_WASM_LENGTH);
        require(exports != null && exports.size() <= MAX_EXPORTS, "more than " + MAX_EXPORTS + " exports");
        TreeSet<Export> sortedExports = new TreeSet<>(Comparator.comparing(Export::name));
        sortedExports.addAll(exports);
        require(sortedExports.size() == exports.size(), "duplicate export names");
        exports = List.copyOf(sortedExports);
        require(capabilities != null, "capabilities missing");
        require(memoryPages >= 1 && memoryPages <= MAX_MEMORY_PAGES, "memoryPages outside 1.." + MAX_MEMORY_PAGES);
        require(resources != null, "resources missing");
        require(deadlineUs >= 1 && deadlineUs <= MAX_DEADLINE_US, "deadlineUs outside 1.." + MAX_DEADLINE_US);
        require(periodMs >= 1 && periodMs <= MAX_PERIOD_MS, "periodMs outside 1.." + MAX_PERIOD_MS);
        require(hardwareIds != null && hardwareIds.size() <= MAX_HARDWARE_IDS, "more than " + MAX_HARDWARE_IDS + " hardware ids");
        for (String h : hardwareIds) {
            require(h != null && HARDWARE_ID.matcher(h).matches(), "hardware id '" + h + "' is not " + HARDWARE_ID.pattern());
        }
        hardwareIds = List.copyOf(new TreeSet<>(hardwareIds));
        require(sbomSha256 != null, "sbomSha256 must be Optional.empty(), not null");
        sbomSha256.ifPresent(s -> require(Digests.SHA256_HEX.matcher(s).matches(), "sbom sha256 is not 64 lowercase hex digits"));
    }

    /** The export named {@code name}, if the module has one. */
    public Optional<Export> export(String name) {
        return exports.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** Whether the module may run on hardware {@code hardwareId} (an empty list means any). */
    public boolean runsOn(String hardwareId) {
        return hardwareIds.isEmpty() || hardwareIds.contains(hardwareId);
    }

    private static void require(boolean ok, String detail) {
        if (!ok) {
            throw bad(detail);
        }
    }

    private static RejectedException bad(String detail) {
        return new RejectedException(PolicyFailure.MALFORMED_MANIFEST, detail);
    }
}

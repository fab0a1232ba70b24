package dev.wasmota.cli.supplier;

import dev.wasmota.cli.CliFiles;

import dev.wasmota.contract.Digests;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.oem.sbom.Sbom;
import dev.wasmota.oem.sbom.SbomFailure;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.Manifest;
import dev.wasmota.signing.manifest.ManifestCodec;
import dev.wasmota.signing.manifest.ResourceCaps;
import dev.wasmota.signing.pkg.ModulePackage;
import dev.wasmota.signing.pkg.PackageFile;
import dev.wasmota.signing.pkg.PackageSpec;
import dev.wasmota.signing.pkg.Packager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ota supplier package}: a module and its manifest in one (unsigned) package file. */
@Command(name = "package", sortOptions = false,
        description = {"Builds an unsigned package: a .wasm module and its manifest.",
                "Reads the exports and imports from the .wasm itself (Chicory's parser and",
                "validator) and refuses imports that LIST does not cover (exit 4).",
                "The manifest caps what the module may make a host allocate: --memory-pages,",
                "and its tables, globals and segments as the .wasm declares them (its tables",
                "may not grow unless --table-elements gives them room); a module declaring",
                "more than the host ceilings is refused (exit 4).",
                "--sbom adds the module's CycloneDX SBOM; one that is malformed or describes another",
                "module (its metadata.component SHA-256 is not the .wasm's) is refused (exit 4).",
                "Sign it next with: ota supplier sign --package PKG --key KEY --cert CERT"})
public final class SupplierPackageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--wasm", required = true, paramLabel = "FILE", description = "the module binary")
    Path wasm;

    @Option(names = "--module", required = true, paramLabel = "ID", description = "module id, e.g. brake-temp")
    String module;

    @Option(names = "--version", required = true, paramLabel = "SEMVER", description = "semantic version, e.g. 1.2.0")
    String version;

    @Option(names = "--security-version", required = true, paramLabel = "N",
            description = "anti-rollback counter; vehicles never install a lower one")
    long securityVersion;

    @Option(names = "--capabilities", required = true, paramLabel = "LIST",
            description = "requested capabilities, e.g. log,clock,can.read:120 (empty string for none)")
    String capabilities;

    @Option(names = "--memory-pages", required = true, paramLabel = "N", description = "most 64 KiB pages of memory")
    int memoryPages;

    @Option(names = "--table-elements", paramLabel = "N",
            description = "most table elements over all tables, growth included (default: what the tables declare"
                    + " at start, no growth; at most " + ResourceCaps.DEFAULT_TABLE_ELEMENTS + ")")
    Long tableElements;

    @Option(names = "--deadline-us", required = true, paramLabel = "N", description = "per-call budget in microseconds")
    long deadlineUs;

    @Option(names = "--period-ms", required = true, paramLabel = "N", description = "tick() period in milliseconds")
    long periodMs;

    @Option(names = "--hardware", paramLabel = "ID", description = "target hardware id (repeatable; none: any)")
    List<String> hardware = new ArrayList<>();

    @Option(names = "--sbom", paramLabel = "FILE", description = "the module's CycloneDX SBOM (JSON, 1.5 or later),"
            + " describing the module by its SHA-256; carried in the package, its SHA-256 in the manifest")
    Path sbom;

    @Option(names = "--supplier", paramLabel = "ID", description = "supplier id (default: taken from the certificate at signing)")
    String supplier = PackageSpec.UNASSIGNED;

    @Option(names = "--out", required = true, paramLabel = "PKG", description = "package file to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        byte[] bytes = CliFiles.readBounded(spec.commandLine(), wasm, Manifest.MAX_WASM_LENGTH, "module");
        PackageSpec ps = new PackageSpec(module, version, securityVersion, supplier, CapabilitySet.parse(capabilities),
                memoryPages, deadlineUs, periodMs, hardware, Optional.empty());
        if (tableElements != null) {
            ps = ps.withTableElements(tableElements);
        }
        ModulePackage pkg = sbom == null ? Packager.build(bytes, ps) : Packager.build(bytes, ps, sbomFor(bytes));
        PackageFile.write(out, pkg);
        Manifest m = ManifestCodec.parse(pkg.manifestBytes());
        spec.commandLine().getOut().printf("packaged %s %s (security version %d): %d bytes, sha256 %s%n"
                        + "  exports: %s%n  capabilities: [%s]%n  caps: %d memory pages, %s%n  -> %s (unsigned)%n",
                m.moduleId(), m.version(), m.securityVersion(), m.wasmLength(), m.wasmSha256(),
                m.exports().stream().map(e -> e.name() + e.type()).collect(Collectors.joining(", ")),
                m.capabilities(), m.memoryPages(), m.resources().describe(), out);
        return 0;
    }

    /** The SBOM file's bytes, refused unless it is CycloneDX 1.5+ describing this module ({@code wasm}). */
    private byte[] sbomFor(byte[] wasm) throws java.io.IOException {
        byte[] bytes = CliFiles.readBounded(spec.commandLine(), sbom, PackageFile.MAX_SBOM_BYTES, "SBOM");
        Sbom read = Sbom.read(bytes);
        String sha = Digests.sha256Hex(wasm);
        if (!read.subject().sha256().equals(Optional.of(sha))) {
            throw new RejectedException(SbomFailure.SBOM_OTHER_MODULE, "the SBOM describes " + read.subject().label()
                    + read.subject().sha256().map(d -> " with SHA-256 " + d).orElse(" without a SHA-256 hash")
                    + ", not this module (" + sha + ")");
        }
        return bytes;
    }
}

package dev.wasmota.cli.supplier;

import dev.wasmota.signing.manifest.Manifest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ota supplier new}: a module project in C or Rust that builds and passes {@code ota supplier test} as made. */
@Command(name = "new", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Makes a supplier module project in C or Rust from the supplier kit.",
                "%nDIR gets the source (a module with init, tick and one export the vectors call), the host ABI"
                        + " (C: ecu.h; Rust: the ecu crate), test vectors, build.sh (Debian's clang and lld, or rustc"
                        + " 1.63 with libstd-rust-dev-wasm32; no network) and package.args, the manifest settings for"
                        + " `ota supplier package @package.args`. As made, it builds and passes `ota supplier test`.",
                "%nExit codes: 0 made, 2 usage (an id that is not a module id, DIR not empty, no kit).%n"})
public final class SupplierNewCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--lang", required = true, paramLabel = "c|rust", description = "the module's language")
    String lang;

    @Option(names = "--module", required = true, paramLabel = "ID", description = "module id, e.g. wiper-control")
    String module;

    @Option(names = "--kit", paramLabel = "DIR", defaultValue = "${sys:ota.home:-.}/supplier-kit",
            description = "the supplier kit (default: ${DEFAULT-VALUE})")
    Path kit;

    @Parameters(paramLabel = "DIR", description = "the project directory to make; must not exist or be empty")
    Path dir;

    @Override
    public Integer call() throws Exception {
        SupplierSkeleton.Lang language;
        try {
            language = SupplierSkeleton.Lang.parse(lang);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!Manifest.ID.matcher(module).matches()) {
            throw new ParameterException(spec.commandLine(), "'" + module + "' is not a module id ("
                    + Manifest.ID.pattern() + ")");
        }
        List<Path> files = SupplierSkeleton.write(kit, language, module, dir);
        PrintWriter w = spec.commandLine().getOut();
        w.printf("made %s module %s in %s: %s%n", language.name().toLowerCase(java.util.Locale.ROOT), module, dir,
                String.join(", ", files.stream().map(Path::toString).toList()));
        w.printf("next, in %s:%n  ./build.sh%n  ota supplier package @package.args --wasm build/%s.wasm --out build/%s.wotapkg%n"
                + "  ota supplier test --package build/%s.wotapkg --vectors vectors.json%n", dir, module, module, module);
        w.flush();
        return 0;
    }
}

package dev.wasmota.signing.wasm;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.signing.manifest.CapabilitySet;
import dev.wasmota.signing.manifest.EcuAbi;
import dev.wasmota.signing.manifest.FunctionType;
import dev.wasmota.signing.manifest.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a module offers and asks for, read with Chicory's parser and validator: its function
 * exports with their types and its imports. {@link #checkAgainst} is the one check that imports
 * are host ABI functions with the ABI's types, each covered by the capabilities.
 *
 * @param module the parsed, validated module
 * @param exports function exports with their types
 * @param imports every import, as {@code module.name}
 */
public record ModuleInterface(WasmModule module, List<Manifest.Export> exports, List<Import> imports) {
    private static final FunctionType TICK = FunctionType.of(List.of(), List.of());
    private static final FunctionType INIT = FunctionType.of(List.of(), List.of("i32"));

    /** Parses and validates {@code wasm}; refuses anything that is not valid WebAssembly (exit 4). */
    public static ModuleInterface read(byte[] wasm) {
        WasmBounds.check(wasm);
        try {
            return of(Parser.parse(wasm));
        } catch (RejectedException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError | AssertionError e) {
            // Chicory's parser accepts some invalid modules (an export naming a function that does not
            // exist, found by fuzzing) and then fails reading them: whatever it throws, the bytes are not valid.
            throw new RejectedException(PolicyFailure.INVALID_WASM, "not valid WebAssembly: " + e);
        }
    }

    /** The interface of an already parsed module. */
    public static ModuleInterface of(WasmModule module) {
        int importedFunctions = module.importSection().count(ExternalType.FUNCTION);
        List<Manifest.Export> exports = new ArrayList<>();
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export e = module.exportSection().getExport(i);
            if (e.exportType() != ExternalType.FUNCTION) {
                continue;
            }
            com.dylibso.chicory.wasm.types.FunctionType t = e.index() < importedFunctions
                    ? module.typeSection().getType(((FunctionImport) functionImport(module, e.index())).typeIndex())
                    : module.functionSection().getFunctionType(e.index() - importedFunctions, module.typeSection());
            try {
                exports.add(new Manifest.Export(e.name(), typeOf(t)));
            } catch (RejectedException unsupported) {
                throw new RejectedException(PolicyFailure.INVALID_WASM, "export '" + e.name()
                        + "' has a type the host cannot call: " + unsupported.getMessage());
            }
        }
        List<Import> imports = module.importSection().stream().toList();
        return new ModuleInterface(module, List.copyOf(exports), imports);
    }

    /**
     * Everything the packager checks: {@link #checkFeatures()}, {@link #checkImports} and
     * {@link #checkHostExports()}.
     */
    public ModuleInterface checkAgainst(CapabilitySet capabilities) {
        checkFeatures();
        checkImports(capabilities);
        checkHostExports();
        return this;
    }

    /** Refuses what the sandbox cannot bound: several or shared memories, a start function. */
    public ModuleInterface checkFeatures() {
        List<String> problems = new ArrayList<>();
        int memories = module.memorySection().map(s -> s.memoryCount()).orElse(0);
        if (memories > 1) {
            problems.add("declares " + memories + " memories (the host caps exactly one)");
        }
        if (memories == 1 && declaredMemory().orElseThrow().shared()) {
            problems.add("declares a shared memory (threads are not supported)");
        }
        module.startSection().ifPresent(s -> problems.add("has a start function (index " + s.startIndex()
                + "): module code runs only through exports, under a deadline"));
        if (!problems.isEmpty()) {
            throw new RejectedException(PolicyFailure.INVALID_WASM, "the module " + String.join("; ", problems));
        }
        return this;
    }

    /**
     * Refuses every import that is not an {@code ecu} host function of the ABI's exact type,
     * granted by {@code capabilities}, naming each.
     *
     * @throws RejectedException {@link PolicyFailure#IMPORT_NOT_PERMITTED}
     */
    public ModuleInterface checkImports(CapabilitySet capabilities) {
        List<String> problems = new ArrayList<>();
        for (Import imp : imports) {
            String problem = importProblem(imp, capabilities);
            if (problem != null) {
                problems.add(imp.module() + "." + imp.name() + " (" + problem + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw notPermitted("imports not permitted: " + String.join(", ", problems));
        }
        return this;
    }

    /** Requires {@code tick: () -> ()} and, if exported, {@code init: () -> i32}. */
    public ModuleInterface checkHostExports() {
        requireExport(EcuAbi.TICK, TICK, true);
        requireExport(EcuAbi.INIT, INIT, false);
        return this;
    }

    /** The declared limits of memory 0, if the module has a memory. */
    public Optional<MemoryLimits> declaredMemory() {
        return module.memorySection().filter(s -> s.memoryCount() > 0).map(s -> s.getMemory(0).limits());
    }

    private String importProblem(Import imp, CapabilitySet granted) {
        if (imp.importType() != ExternalType.FUNCTION) {
            return "a " + imp.importType().name().toLowerCase(Locale.ROOT) + " import; the host provides functions only";
        }
        if (!EcuAbi.MODULE.equals(imp.module())) {
            return "outside the host ABI, which is module '" + EcuAbi.MODULE + "'";
        }
        Optional<FunctionType> abi = EcuAbi.function(imp.name());
        if (abi.isEmpty()) {
            return "no such host function";
        }
        if (!granted.permitsImport(imp.module(), imp.name())) {
            return "not granted by capabilities '" + granted.canonical() + "'";
        }
        FunctionType actual = typeOf(module.typeSection().getType(((FunctionImport) imp).typeIndex()));
        if (!abi.get().equals(actual)) {
            return "type " + actual + ", the ABI's is " + abi.get();
        }
        return null;
    }

    private void requireExport(String name, FunctionType type, boolean required) {
        Optional<Manifest.Export> e = exports.stream().filter(x -> x.name().equals(name)).findFirst();
        if (e.isEmpty() && required) {
            throw new RejectedException(PolicyFailure.EXPORT_MISMATCH, "module does not export " + name + ": " + type);
        }
        if (e.isPresent() && !e.get().type().equals(type)) {
            throw new RejectedException(PolicyFailure.EXPORT_MISMATCH,
                    "export " + name + " has type " + e.get().type() + "; the host calls it as " + type);
        }
    }

    private static Import functionImport(WasmModule module, int functionIndex) {
        int seen = 0;
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import imp = module.importSection().getImport(i);
            if (imp.importType() == ExternalType.FUNCTION && seen++ == functionIndex) {
                return imp;
            }
        }
        throw new IllegalStateException("no function import " + functionIndex);
    }

    /** The manifest form of a Chicory function type. */
    public static FunctionType typeOf(com.dylibso.chicory.wasm.types.FunctionType t) {
        return FunctionType.of(t.params().stream().map(ModuleInterface::name).toList(),
                t.returns().stream().map(ModuleInterface::name).toList());
    }

    /** The manifest's name of a value type. */
    public static String name(ValType v) {
        if (v.equals(ValType.I32)) {
            return "i32";
        } else if (v.equals(ValType.I64)) {
            return "i64";
        } else if (v.equals(ValType.F32)) {
            return "f32";
        } else if (v.equals(ValType.F64)) {
            return "f64";
        } else if (v.equals(ValType.V128)) {
            return "v128";
        } else if (v.equals(ValType.FuncRef)) {
            return "funcref";
        } else if (v.equals(ValType.ExternRef)) {
            return "externref";
        }
        throw new RejectedException(PolicyFailure.INVALID_WASM, "value type " + v + " is not supported by the host");
    }

    private static RejectedException notPermitted(String detail) {
        return new RejectedException(PolicyFailure.IMPORT_NOT_PERMITTED, detail);
    }
}

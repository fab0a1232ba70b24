package dev.wasmota.signing.wasm;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ValType;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.signing.error.RejectedException;
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
        WasmModule module;
        try {
            module = Parser.parse(wasm);
        } catch (ChicoryException e) {
            throw new RejectedException(PolicyFailure.INVALID_WASM, "not valid WebAssembly: " + e.getMessage());
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new RejectedException(PolicyFailure.INVALID_WASM, "not valid WebAssembly: " + e.getMessage());
        }
        return of(module);
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
            exports.add(new Manifest.Export(e.name(), typeOf(t)));
        }
        List<Import> imports = module.importSection().stream().toList();
        return new ModuleInterface(module, List.copyOf(exports), imports);
    }

    /**
     * Checks that every import is an {@code ecu} host function with its ABI type and covered by
     * {@code capabilities}, and that the module exports {@code tick: () -> ()} (and
     * {@code init: () -> i32} if it exports init).
     *
     * @throws RejectedException {@link PolicyFailure#IMPORT_NOT_PERMITTED} naming the import, or
     *     {@link PolicyFailure#EXPORT_MISMATCH}
     */
    public ModuleInterface checkAgainst(CapabilitySet capabilities) {
        for (Import imp : imports) {
            String name = imp.module() + "." + imp.name();
            if (imp.importType() != ExternalType.FUNCTION) {
                throw notPermitted("imports " + imp.importType().name().toLowerCase(Locale.ROOT) + " '" + name
                        + "'; the host provides functions only");
            }
            Optional<FunctionType> abi = EcuAbi.MODULE.equals(imp.module()) ? EcuAbi.function(imp.name()) : Optional.empty();
            if (abi.isEmpty()) {
                throw notPermitted("imports '" + name + "', which is not a host ABI function");
            }
            FunctionType actual = typeOf(module.typeSection().getType(((FunctionImport) imp).typeIndex()));
            if (!abi.get().equals(actual)) {
                throw notPermitted("imports '" + name + "' as " + actual + "; the ABI type is " + abi.get());
            }
            if (!capabilities.permitsImport(imp.module(), imp.name())) {
                throw notPermitted("imports '" + name + "' but the capabilities [" + capabilities + "] do not grant it");
            }
        }
        requireExport(EcuAbi.TICK, TICK, true);
        requireExport(EcuAbi.INIT, INIT, false);
        return this;
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

    private static String name(ValType v) {
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

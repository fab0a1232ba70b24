package dev.wasmota.ecu.sandbox;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.List;
import java.util.stream.Collectors;

/** Converts the manifest's type names ({@code i32}, ...) to Chicory's value types for host function signatures. */
final class WasmTypes {
    private WasmTypes() {
    }

    static ValType valType(String name) {
        switch (name) {
            case "i32":
                return ValType.I32;
            case "i64":
                return ValType.I64;
            case "f32":
                return ValType.F32;
            case "f64":
                return ValType.F64;
            default:
                throw new IllegalArgumentException("no host value type " + name);
        }
    }

    /** The Chicory form of a manifest function type. */
    static FunctionType chicoryType(dev.wasmota.signing.manifest.FunctionType t) {
        return FunctionType.of(t.params().stream().map(WasmTypes::valType).collect(Collectors.toList()),
                t.results().stream().map(WasmTypes::valType).collect(Collectors.toList()));
    }
}

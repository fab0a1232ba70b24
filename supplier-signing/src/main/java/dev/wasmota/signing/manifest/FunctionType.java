package dev.wasmota.signing.manifest;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import java.util.List;
import java.util.Set;

/** A WASM function type as the manifest writes it: value type names such as {@code i32}. */
public record FunctionType(List<String> params, List<String> results) {
    /** The value type names of the WASM core spec. */
    public static final Set<String> VALUE_TYPES = Set.of("i32", "i64", "f32", "f64", "v128", "funcref", "externref");
    /** Most params or results one function type may list. */
    public static final int MAX_ARITY = 64;

    public FunctionType {
        params = List.copyOf(params);
        results = List.copyOf(results);
        if (params.size() > MAX_ARITY || results.size() > MAX_ARITY) {
            throw new RejectedException(PolicyFailure.MALFORMED_MANIFEST, "function type with more than " + MAX_ARITY + " values");
        }
        for (String t : params) {
            checkType(t);
        }
        for (String t : results) {
            checkType(t);
        }
    }

    public static FunctionType of(List<String> params, List<String> results) {
        return new FunctionType(params, results);
    }

    private static void checkType(String t) {
        if (!VALUE_TYPES.contains(t)) {
            throw new RejectedException(PolicyFailure.MALFORMED_MANIFEST, "unknown value type '" + t + "'");
        }
    }

    @Override
    public String toString() {
        return "(" + String.join(",", params) + ")->(" + String.join(",", results) + ")";
    }
}

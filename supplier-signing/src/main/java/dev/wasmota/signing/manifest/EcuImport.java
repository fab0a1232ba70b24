package dev.wasmota.signing.manifest;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One host function of import module {@code ecu} as {@link EcuAbi} defines it: its name, each
 * parameter with what the host does with it, its result, and the capability that grants it. The
 * host links, the packager checks, docs/ABI.md describes and the supplier kit's C header and Rust
 * crate declare exactly these.
 *
 * @param name the import name, e.g. {@code can_read}
 * @param params the parameters in order
 * @param result the result, if any
 * @param grantedBy the capability keyword that grants it: {@code log}, {@code clock},
 *     {@code can.read}, {@code can.write} or {@code i2c}
 * @param summary one sentence: what the call does
 */
public record EcuImport(String name, List<Param> params, Optional<Result> result, String grantedBy, String summary) {
    public EcuImport {
        Objects.requireNonNull(name, "name");
        params = List.copyOf(params);
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(grantedBy, "grantedBy");
        Objects.requireNonNull(summary, "summary");
    }

    /** The WASM function type the host registers. */
    public FunctionType type() {
        return FunctionType.of(params.stream().map(Param::type).toList(), result.map(r -> List.of(r.type())).orElse(List.of()));
    }

    /** What the host does with a parameter, which decides the bounds it checks and the source-level type a kit gives it. */
    public enum Role {
        /** A number, taken as it is. */
        VALUE,
        /** An offset into the module's memory where the host reads {@code len} bytes (the next parameter). */
        READS_BYTES,
        /** An offset into the module's memory where the host writes up to {@code len} bytes (the next parameter). */
        WRITES_BYTES,
        /** An offset into the module's memory where the host writes one little-endian i64 (8 bytes). */
        WRITES_I64,
        /** The length in bytes of the memory range the previous parameter points at. */
        LENGTH
    }

    /** What a function's result means. */
    public enum ResultKind {
        /** A value (e.g. microseconds); never a status. */
        VALUE,
        /** 0 when done, else a negative status code. */
        STATUS,
        /** A count of bytes (0 or more) when done, else a negative status code. */
        COUNT_OR_STATUS
    }

    /**
     * A parameter.
     *
     * @param name its name in the docs and the kit
     * @param type its WASM value type, {@code i32} or {@code i64}
     * @param role what the host does with it
     * @param meaning its meaning and unit, one phrase
     */
    public record Param(String name, String type, Role role, String meaning) {
        public Param {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(meaning, "meaning");
        }
    }

    /**
     * A result.
     *
     * @param type its WASM value type
     * @param kind what it means
     * @param meaning its meaning and unit, one phrase
     */
    public record Result(String type, ResultKind kind, String meaning) {
        public Result {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(meaning, "meaning");
        }
    }
}

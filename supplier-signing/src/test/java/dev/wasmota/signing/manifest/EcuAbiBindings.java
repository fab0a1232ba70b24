package dev.wasmota.signing.manifest;

import dev.wasmota.signing.manifest.EcuImport.Param;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders the parts of the supplier kit that follow from {@link EcuAbi}: the generated block of
 * {@code supplier-kit/c/ecu.h} and the whole of {@code supplier-kit/rust/ecu/src/abi.rs}. Takes the
 * definition as arguments, so a test can render a changed one.
 */
final class EcuAbiBindings {
    static final String C_BEGIN = "/* BEGIN GENERATED from EcuAbi: do not edit (see supplier-kit/README.md) */";
    static final String C_END = "/* END GENERATED */";

    private EcuAbiBindings() {
    }

    /** The C block between {@link #C_BEGIN} and {@link #C_END}, both lines included. */
    static String c(int version, List<EcuAbi.Status> statuses, List<EcuImport> imports) {
        StringBuilder b = new StringBuilder(C_BEGIN).append('\n');
        b.append("#define ECU_ABI_VERSION ").append(version).append('\n');
        b.append("#define ECU_OK 0\n");
        for (EcuAbi.Status s : statuses) {
            b.append("#define ECU_").append(s.name()).append(" (").append(s.code()).append(") /* ")
                    .append(s.meaning()).append(" */\n");
        }
        for (EcuImport i : imports) {
            b.append('\n').append("/* ").append(EcuAbi.MODULE).append('.').append(i.name()).append(' ')
                    .append(i.type()).append(", granted by capability ").append(i.grantedBy()).append(". ")
                    .append(i.summary()).append(" */\n");
            b.append("__attribute__((import_module(\"").append(EcuAbi.MODULE).append("\"), import_name(\"")
                    .append(i.name()).append("\")))\n");
            String params = i.params().isEmpty() ? "void"
                    : i.params().stream().map(p -> cType(p) + (cType(p).endsWith("*") ? "" : " ") + p.name())
                            .collect(Collectors.joining(", "));
            b.append(i.result().map(r -> cValue(r.type())).orElse("void")).append(" ecu_").append(i.name())
                    .append('(').append(params).append(");\n");
        }
        return b.append(C_END).append('\n').toString();
    }

    /** The whole of {@code abi.rs}. */
    static String rust(int version, List<EcuAbi.Status> statuses, List<EcuImport> imports) {
        StringBuilder b = new StringBuilder();
        b.append("// GENERATED from EcuAbi: do not edit (see supplier-kit/README.md).\n");
        b.append("//! The raw host ABI: import module `").append(EcuAbi.MODULE)
                .append("` and its status codes. Use the safe wrappers in the crate root.\n\n");
        b.append("/// The host ABI version these declarations follow (docs/ABI.md).\n");
        b.append("pub const ABI_VERSION: u32 = ").append(version).append(";\n\n");
        b.append("/// A negative status a host function returned.\n");
        b.append("#[derive(Clone, Copy, Debug, PartialEq, Eq)]\npub enum Error {\n");
        for (EcuAbi.Status s : statuses) {
            b.append("    /// ").append(capitalized(s.meaning())).append(" (").append(s.code()).append(").\n");
            b.append("    ").append(variant(s)).append(",\n");
        }
        b.append("    /// A status this ABI version does not name.\n    Other(i32),\n}\n\n");
        b.append("impl Error {\n    /// The error a negative status code stands for.\n");
        b.append("    pub const fn from_code(code: i32) -> Error {\n        match code {\n");
        statuses.forEach(s -> b.append("            ").append(s.code()).append(" => Error::").append(variant(s)).append(",\n"));
        b.append("            other => Error::Other(other),\n        }\n    }\n\n");
        b.append("    /// The status code.\n    pub const fn code(self) -> i32 {\n        match self {\n");
        statuses.forEach(s -> b.append("            Error::").append(variant(s)).append(" => ").append(s.code()).append(",\n"));
        b.append("            Error::Other(code) => code,\n        }\n    }\n}\n\n");
        b.append("#[link(wasm_import_module = \"").append(EcuAbi.MODULE).append("\")]\nextern \"C\" {\n");
        for (EcuImport i : imports) {
            b.append("    /// `").append(EcuAbi.MODULE).append('.').append(i.name()).append(' ').append(i.type())
                    .append("`, granted by capability `").append(i.grantedBy()).append("`. ").append(i.summary()).append('\n');
            b.append("    pub fn ").append(i.name()).append('(')
                    .append(i.params().stream().map(p -> p.name() + ": " + rustType(p)).collect(Collectors.joining(", ")))
                    .append(')').append(i.result().map(r -> " -> " + r.type()).orElse("")).append(";\n");
        }
        return b.append("}\n").toString();
    }

    private static String cType(Param p) {
        return switch (p.role()) {
            case READS_BYTES -> "const void *";
            case WRITES_BYTES -> "void *";
            case WRITES_I64 -> "int64_t *";
            case VALUE, LENGTH -> cValue(p.type());
        };
    }

    private static String cValue(String wasmType) {
        return switch (wasmType) {
            case "i32" -> "int32_t";
            case "i64" -> "int64_t";
            case "f32" -> "float";
            case "f64" -> "double";
            default -> throw new IllegalArgumentException("no C type for " + wasmType);
        };
    }

    private static String rustType(Param p) {
        return switch (p.role()) {
            case READS_BYTES -> "*const u8";
            case WRITES_BYTES -> "*mut u8";
            case WRITES_I64 -> "*mut i64";
            case VALUE, LENGTH -> p.type();
        };
    }

    private static String variant(EcuAbi.Status s) {
        StringBuilder v = new StringBuilder();
        for (String word : s.name().toLowerCase(Locale.ROOT).split("_")) {
            v.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return v.toString();
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

package dev.wasmota.signing.pkg;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Assembles small WebAssembly binaries for shapes the corpus does not have (a wrong export type, a
 * two-page memory with a tick, hundreds of exports). Functions return zero of their result type.
 */
final class TinyWasm {
    private final List<String[][]> types = new ArrayList<>();
    private final ByteArrayOutputStream imports = new ByteArrayOutputStream();
    private int importCount;
    private int importedFunctions;
    private final List<Integer> functions = new ArrayList<>();
    private final ByteArrayOutputStream exports = new ByteArrayOutputStream();
    private int exportCount;
    private byte[] memory;

    /** Adds a function type such as {@code ("i64") -> ("i64")}; returns its index. */
    int type(List<String> params, List<String> results) {
        types.add(new String[][] {params.toArray(String[]::new), results.toArray(String[]::new)});
        return types.size() - 1;
    }

    /** Imports a function; returns its function index. Call before {@link #function}. */
    int importFunction(String module, String name, int type) {
        name(imports, module);
        name(imports, name);
        imports.write(0x00);
        leb(imports, type);
        importCount++;
        return importedFunctions++;
    }

    TinyWasm importMemory(String module, String name) {
        name(imports, module);
        name(imports, name);
        imports.write(0x02);
        imports.write(0x00);
        leb(imports, 1);
        importCount++;
        return this;
    }

    /** Defines a function of {@code type}; returns its function index. */
    int function(int type) {
        functions.add(type);
        return importedFunctions + functions.size() - 1;
    }

    TinyWasm export(String name, int function) {
        name(exports, name);
        exports.write(0x00);
        leb(exports, function);
        exportCount++;
        return this;
    }

    /** One memory of {@code minPages}, without maximum. */
    TinyWasm memory(int minPages) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        leb(m, 1);
        m.write(0x00);
        leb(m, minPages);
        memory = m.toByteArray();
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00});
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        leb(t, types.size());
        for (String[][] ft : types) {
            t.write(0x60);
            valTypes(t, ft[0]);
            valTypes(t, ft[1]);
        }
        section(out, 1, t.toByteArray());
        if (importCount > 0) {
            section(out, 2, prefixCount(importCount, imports));
        }
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        leb(f, functions.size());
        functions.forEach(i -> leb(f, i));
        section(out, 3, f.toByteArray());
        if (memory != null) {
            section(out, 5, memory);
        }
        section(out, 7, prefixCount(exportCount, exports));
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        leb(c, functions.size());
        for (int typeIndex : functions) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(0x00);
            for (String r : types.get(typeIndex)[1]) {
                body.writeBytes(r.equals("i64") ? new byte[] {0x42, 0x00} : new byte[] {0x41, 0x00});
            }
            body.write(0x0b);
            leb(c, body.size());
            c.writeBytes(body.toByteArray());
        }
        section(out, 10, c.toByteArray());
        return out.toByteArray();
    }

    private static byte[] prefixCount(int count, ByteArrayOutputStream items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        leb(out, count);
        out.writeBytes(items.toByteArray());
        return out.toByteArray();
    }

    private static void valTypes(ByteArrayOutputStream out, String[] names) {
        leb(out, names.length);
        for (String n : names) {
            out.write(switch (n) {
                case "i32" -> 0x7f;
                case "i64" -> 0x7e;
                default -> throw new IllegalArgumentException(n);
            });
        }
    }

    private static void section(ByteArrayOutputStream out, int id, byte[] content) {
        out.write(id);
        leb(out, content.length);
        out.writeBytes(content);
    }

    private static void name(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        leb(out, b.length);
        out.writeBytes(b);
    }

    private static void leb(ByteArrayOutputStream out, long v) {
        do {
            int b = (int) (v & 0x7f);
            v >>>= 7;
            out.write(v == 0 ? b : b | 0x80);
        } while (v != 0);
    }
}

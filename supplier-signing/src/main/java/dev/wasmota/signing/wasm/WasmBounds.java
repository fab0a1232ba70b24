package dev.wasmota.signing.wasm;

import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import java.util.Objects;

/**
 * A cheap, allocation-free structural pre-check run on untrusted WebAssembly bytes before Chicory
 * parses them: it refuses any module whose declared counts or lengths cannot fit in the bytes
 * present or exceed engine limits, so that a few crafted bytes cannot make the parser allocate
 * hundreds of MiB. It is not a validator (Chicory may still refuse what it passes). Besides the
 * sections it must, it parses the element section and the "name" custom section fully, since
 * Chicory decodes both. It accepts function types ({@code 0x60}) and value types i32, i64, f32,
 * f64, v128, funcref and externref only. On its way it counts what instantiating the module would
 * allocate besides memory ({@link DeclaredResources}), so a host can refuse that before parsing too.
 */
public final class WasmBounds {
    /** Largest module in bytes; follows the JS-API implementation limits. */
    public static final int MAX_MODULE_SIZE = 1_073_741_824;
    /** Most types; follows the JS-API implementation limits. */
    public static final int MAX_TYPES = 1_000_000;
    /** Most parameters, and most results, of one function type; follows the JS-API implementation limits. */
    public static final int MAX_PARAMS = 1_000;
    /** Most imports; follows the JS-API implementation limits. */
    public static final int MAX_IMPORTS = 100_000;
    /** Most functions defined (function section, code section); follows the JS-API implementation limits. */
    public static final int MAX_FUNCTIONS = 1_000_000;
    /** Most tables, imported and defined; the JS-API implementation limits allow 100,000, this host 100. */
    public static final int MAX_TABLES = 100;
    /** Most memories, imported and defined; follows the JS-API implementation limits (multi-memory). */
    public static final int MAX_MEMORIES = 100;
    /** Most globals defined; follows the JS-API implementation limits. */
    public static final int MAX_GLOBALS = 1_000_000;
    /** Most exports; follows the JS-API implementation limits. */
    public static final int MAX_EXPORTS = 100_000;
    /** Most element segments, and most entries in one (table initialization); follows the JS-API implementation limits. */
    public static final int MAX_ELEMENT_SEGMENTS = 10_000_000;
    /** Most data segments; follows the JS-API implementation limits. */
    public static final int MAX_DATA_SEGMENTS = 100_000;
    /** Most tags defined; follows the JS-API implementation limits. */
    public static final int MAX_TAGS = 1_000_000;
    /** Largest function body in bytes; follows the JS-API implementation limits. */
    public static final int MAX_FUNCTION_SIZE = 7_654_321;
    /** Most locals declared in one function body; follows the JS-API implementation limits. */
    public static final int MAX_LOCALS = 50_000;

    private static final String[] NAMES = {"custom", "type", "import", "function", "table", "memory", "global",
        "export", "start", "element", "code", "data", "datacount", "tag"};
    /** Rank of each section id in the required order: tag between memory and global, datacount before code. */
    private static final int[] ORDER = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};

    private final byte[] b;
    private int pos;
    private int end;
    private String section;
    private long functions;
    private long bodies;
    private long tables;
    private long memories;
    private long tableElements;
    private long globals;
    private long dataSegments;
    private long dataBytes;
    private long elementSegments;
    private long elementEntries;

    private WasmBounds(byte[] wasm) {
        this.b = wasm;
    }

    /**
     * Checks that {@code wasm} is structurally sound enough to hand to Chicory's parser.
     *
     * @return what its declarations would make a host allocate
     * @throws RejectedException {@link PolicyFailure#INVALID_WASM} naming the section and offset
     */
    public static DeclaredResources check(byte[] wasm) {
        WasmBounds b = new WasmBounds(Objects.requireNonNull(wasm, "wasm"));
        b.module();
        return new DeclaredResources(b.tables, b.tableElements, b.globals, b.dataSegments, b.dataBytes,
                b.elementSegments, b.elementEntries);
    }

    private void module() {
        end = b.length;
        if (b.length > MAX_MODULE_SIZE) {
            throw fail(0, "module of " + b.length + " bytes exceeds the limit of " + MAX_MODULE_SIZE);
        }
        if (b.length < 4 || b[0] != 0 || b[1] != 'a' || b[2] != 's' || b[3] != 'm') {
            throw fail(0, "not a WebAssembly binary (no \\0asm magic)");
        }
        if (b.length < 8 || b[4] != 1 || b[5] != 0 || b[6] != 0 || b[7] != 0) {
            throw fail(4, "unsupported binary version (expected 1)");
        }
        pos = 8;
        int seen = 0;
        int lastId = 0;
        while (pos < b.length) {
            int at = pos;
            int id = b[pos++] & 0xFF;
            section = id < NAMES.length ? NAMES[id] : null;
            if (section == null) {
                throw fail(at, "unknown section id " + id);
            }
            end = b.length;
            long size = u32();
            if (size > end - pos) {
                throw fail(at, "size " + size + " runs past the end of the module (" + (end - pos) + " bytes left)");
            }
            if (id != 0 && (seen & (1 << id)) != 0) {
                throw fail(at, "duplicate section");
            } else if (id != 0 && ORDER[id] < ORDER[lastId]) {
                throw fail(at, "out of order: it must come before the " + NAMES[lastId] + " section");
            } else if (id != 0) {
                seen |= 1 << id;
                lastId = id;
            }
            end = pos + (int) size;
            content(id);
            boolean opaque = id == 0 || id == 5 || id == 6 || id == 13; // only name or count checked
            if (!opaque && pos != end) {
                throw fail(pos, (end - pos) + " bytes left over after the section's content");
            }
            pos = end;
        }
        section = null;
        if (functions != bodies) {
            throw fail(pos, "the function section declares " + functions + " functions, the code section " + bodies);
        } else if (tables > MAX_TABLES || memories > MAX_MEMORIES) {
            throw fail(pos, tables + " tables, " + memories + " memories (imported and defined) exceed the limits of "
                    + MAX_TABLES + " and " + MAX_MEMORIES);
        }
    }

    private void content(int id) {
        switch (id) {
            case 0 -> {
                if (skipBytes("custom section name") == 4 && b[pos - 4] == 'n' && b[pos - 3] == 'a' && b[pos - 2] == 'm'
                        && b[pos - 1] == 'e') {
                    names();
                }
            }
            case 1 -> types();
            case 2 -> imports();
            case 3 -> {
                functions = count("functions", MAX_FUNCTIONS);
                for (long i = 0; i < functions; i++) {
                    u32();
                }
            }
            case 4 -> tableSection();
            case 5 -> memories += count("memories", MAX_MEMORIES);
            case 6 -> globals += count("globals", MAX_GLOBALS);
            case 7 -> {
                for (long i = count("exports", MAX_EXPORTS); i > 0; i--) {
                    skipBytes("export name");
                    flag(4, "export kind");
                    u32();
                }
            }
            case 8 -> u32();
            case 9 -> elements();
            case 10 -> code();
            case 11 -> data();
            case 12 -> {
                if (u32() > MAX_DATA_SEGMENTS) {
                    throw fail(pos, "data count exceeds the limit of " + MAX_DATA_SEGMENTS);
                }
            }
            default -> count("tags", MAX_TAGS);
        }
    }

    private void types() {
        for (long i = count("types", MAX_TYPES); i > 0; i--) {
            int at = pos;
            int form = u8();
            if (form != 0x60) {
                throw fail(at, "type form " + hex(form) + " is not supported (only function types, 0x60)");
            }
            for (long p = count("parameters", MAX_PARAMS); p > 0; p--) {
                valType(false);
            }
            for (long r = count("results", MAX_PARAMS); r > 0; r--) {
                valType(false);
            }
        }
    }

    private void imports() {
        for (long i = count("imports", MAX_IMPORTS); i > 0; i--) {
            skipBytes("import module name");
            skipBytes("import field name");
            int at = pos;
            int kind = u8();
            switch (kind) {
                case 0 -> u32();
                case 1 -> tableType();
                case 2 -> {
                    limits(3);
                    memories++;
                }
                case 3 -> {
                    valType(false);
                    flag(1, "global mutability");
                    globals++;
                }
                case 4 -> {
                    flag(0, "tag attribute");
                    u32();
                }
                default -> throw fail(at, "unknown import kind " + hex(kind));
            }
        }
    }

    /** Tables, each a table type, or 0x40 0x00, a table type and its initializer (function references). */
    private void tableSection() {
        for (long i = count("tables", MAX_TABLES); i > 0; i--) {
            if (pos < end && b[pos] == 0x40) {
                pos++;
                flag(0, "table initializer flag");
                tableType();
                constExpr();
            } else {
                tableType();
            }
        }
    }

    private void tableType() {
        valType(true);
        tableElements += limits(1);
        tables++;
    }

    private void code() {
        bodies = count("function bodies", MAX_FUNCTIONS);
        int sectionEnd = end;
        for (long i = 0; i < bodies; i++) {
            int at = pos;
            long size = u32();
            if (size > MAX_FUNCTION_SIZE || size > sectionEnd - pos) {
                throw fail(at, "body " + i + " of " + size + " bytes exceeds the limit of " + MAX_FUNCTION_SIZE
                        + " or the " + (sectionEnd - pos) + " bytes left in the section");
            }
            end = pos + (int) size;
            long locals = 0;
            for (long g = count("local declarations", Long.MAX_VALUE); g > 0; g--) {
                int groupAt = pos;
                locals += u32();
                if (locals > MAX_LOCALS) {
                    throw fail(groupAt, "body " + i + " declares " + locals + " or more locals, over the limit of " + MAX_LOCALS);
                }
                valType(false);
            }
            pos = end; // the instructions are left to Chicory
            end = sectionEnd;
        }
    }

    private void elements() {
        elementSegments = count("element segments", MAX_ELEMENT_SEGMENTS);
        for (long i = elementSegments; i > 0; i--) {
            int at = pos;
            long flags = u32();
            if (flags > 7) {
                throw fail(at, "unknown element segment flags " + flags);
            } else if (flags == 2 || flags == 6) {
                u32(); // table index
            }
            if ((flags & 1) == 0) {
                constExpr(); // active: offset
            }
            if ((flags & 3) != 0 && (flags & 4) != 0) {
                valType(true);
            } else if ((flags & 3) != 0) {
                flag(0, "element kind");
            }
            long entries = count("element entries", MAX_ELEMENT_SEGMENTS);
            elementEntries += entries;
            for (long n = entries; n > 0; n--) {
                if ((flags & 4) != 0) {
                    constExpr();
                } else {
                    u32();
                }
            }
        }
    }

    private void data() {
        dataSegments = count("data segments", MAX_DATA_SEGMENTS);
        for (long i = dataSegments; i > 0; i--) {
            int at = pos;
            long flags = u32();
            if (flags > 2) {
                throw fail(at, "unknown data segment flags " + flags);
            } else if (flags == 2) {
                u32();
            }
            if (flags != 1) {
                constExpr();
            }
            dataBytes += skipBytes("data segment");
        }
    }

    /** The "name" custom section, which Chicory decodes: subsections holding a name, a name map or an indirect one. */
    private void names() {
        int sectionEnd = end;
        while (pos < sectionEnd) {
            int at = pos;
            int id = u8();
            long size = u32();
            if (size > end - pos) {
                throw fail(at, "name subsection " + id + " of " + size + " bytes runs past the " + (end - pos) + " bytes left");
            }
            end = pos + (int) size;
            if (id == 0) {
                skipBytes("module name");
            } else if (id == 2 || id == 3 || id == 10) {
                for (long i = count("indirect name map entries", Long.MAX_VALUE); i > 0; i--) {
                    u32();
                    nameMap();
                }
            } else if (id <= 11) {
                nameMap();
            }
            if (id <= 11 && pos != end) {
                throw fail(pos, (end - pos) + " bytes left over in name subsection " + id);
            }
            pos = end;
            end = sectionEnd;
        }
    }

    private void nameMap() {
        for (long i = count("name map entries", Long.MAX_VALUE); i > 0; i--) {
            u32();
            skipBytes("name");
        }
    }

    /** Walks a constant expression to its {@code end}: consts, global.get, ref.null/func, extended-const arithmetic. */
    private void constExpr() {
        for (int op = u8(); op != 0x0B; op = u8()) {
            switch (op) {
                case 0x41 -> signed(32);
                case 0x42 -> signed(64);
                case 0x43, 0x44 -> skip(op == 0x43 ? 4 : 8);
                case 0x23, 0xD2 -> u32();
                case 0xD0 -> signed(33);
                case 0x6A, 0x6B, 0x6C, 0x7C, 0x7D, 0x7E -> { }
                default -> throw fail(pos - 1, "instruction " + hex(op) + " is not allowed in a constant expression");
            }
        }
    }

    /** A value type, or with {@code refOnly} a reference type, of those the class comment lists. */
    private void valType(boolean refOnly) {
        int at = pos;
        int t = u8();
        if (t != 0x70 && t != 0x6F && (refOnly || t < 0x7B || t > 0x7F)) {
            throw fail(at, "unsupported " + (refOnly ? "reference" : "value") + " type " + hex(t));
        }
    }

    /** Limits with flags 0 .. {@code maxFlags} (bit 0: has maximum; memories: bit 1 shared) and u32 bounds; returns the minimum. */
    private long limits(int maxFlags) {
        int flags = flag(maxFlags, "limits flags");
        long min = u32();
        if ((flags & 1) != 0) {
            u32();
        }
        return min;
    }

    private int flag(int max, String what) {
        int at = pos;
        int v = u8();
        if (v > max) {
            throw fail(at, what + " " + hex(v) + " is not in 0x00.." + hex(max));
        }
        return v;
    }

    /** A vector count: at most {@code max} and at most the bytes left (each element takes one byte or more). */
    private long count(String what, long max) {
        int at = pos;
        long n = u32();
        if (n > max) {
            throw fail(at, n + " " + what + " exceed the limit of " + max);
        } else if (n > end - pos) {
            throw fail(at, n + " " + what + " cannot fit in the " + (end - pos) + " bytes left");
        }
        return n;
    }

    /** Skips a length-prefixed byte vector; returns its length. */
    private long skipBytes(String what) {
        int at = pos;
        long n = u32();
        if (n > end - pos) {
            throw fail(at, what + " length " + n + " runs past the " + (end - pos) + " bytes left");
        }
        pos += (int) n;
        return n;
    }

    private void skip(int n) {
        if (n > end - pos) {
            throw fail(pos, "content ends early");
        }
        pos += n;
    }

    private int u8() {
        skip(1);
        return b[pos - 1] & 0xFF;
    }

    /** An unsigned LEB128 u32: at most 5 bytes, no bits beyond 32. */
    private long u32() {
        int at = pos;
        long v = 0;
        for (int i = 0; ; i++) {
            int x = leb(at);
            if (i == 4 && x > 0x0F) {
                throw fail(at, (x & 0x80) != 0 ? "LEB128 integer longer than 5 bytes" : "LEB128 integer exceeds 32 bits");
            }
            v |= (long) (x & 0x7F) << (7 * i);
            if ((x & 0x80) == 0) {
                return v;
            }
        }
    }

    /** Skips a signed LEB128 of {@code bits}: at most ceil(bits / 7) bytes, the last one's unused bits copy the sign. */
    private void signed(int bits) {
        int at = pos;
        int last = (bits + 6) / 7 - 1;
        for (int i = 0; ; i++) {
            int x = leb(at);
            int mask = (0x7F << (bits - 7 * i - 1)) & 0x7F;
            if (i == last && ((x & 0x80) != 0 || ((x & mask) != 0 && (x & mask) != mask))) {
                throw fail(at, "signed LEB128 integer longer than " + (last + 1) + " bytes or beyond " + bits + " bits");
            } else if ((x & 0x80) == 0) {
                return;
            }
        }
    }

    private int leb(int at) {
        if (pos >= end) {
            throw fail(at, "LEB128 integer is cut off");
        }
        return b[pos++] & 0xFF;
    }

    private RejectedException fail(int at, String what) {
        String where = section == null ? "module" : section + " section";
        return new RejectedException(PolicyFailure.INVALID_WASM, "not valid WebAssembly: " + where + " at offset " + at + ": " + what);
    }

    private static String hex(int v) {
        return String.format("0x%02X", v);
    }
}

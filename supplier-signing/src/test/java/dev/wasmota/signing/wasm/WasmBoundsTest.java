package dev.wasmota.signing.wasm;

import static dev.wasmota.signing.Fixtures.sectionBoundaries;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import dev.wasmota.signing.Fixtures;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WasmBoundsTest {
    static final long MAX_NANOS = 100_000_000L;
    static final long MAX_ALLOCATED = 1 << 20;
    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    static final byte[] HEALTHY = Fixtures.wasm("healthy_v1.wasm");

    static final byte[] HEADER = {0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00};
    /** One type, {@code () -> ()}. */
    static final byte[] TYPES = section(1, leb(1), bytes(0x60, 0, 0));
    static final byte[] FUNCTIONS = section(3, leb(1), leb(0));
    static final byte[] EXPORTS = section(7, leb(1), name("tick"), bytes(0), leb(0));
    /** One body: no locals, {@code end}. */
    static final byte[] CODE = section(10, leb(1), leb(2), bytes(0, 0x0B));
    static final byte[] MEMORY = section(5, leb(1), bytes(0, 1));
    static final byte[] TINY = module(TYPES, FUNCTIONS, EXPORTS, CODE);

    @Test
    void builderModulesPassAndChicoryParsesThem() {
        byte[] withImport = module(TYPES, section(2, leb(1), name("ecu"), name("log"), bytes(0), leb(0)), FUNCTIONS,
                section(7, leb(1), name("tick"), bytes(0), leb(1)), CODE);
        byte[] withData = module(TYPES, FUNCTIONS, MEMORY, EXPORTS, section(12, leb(1)), CODE,
                section(11, leb(1), bytes(0, 0x41, 1, 0x41, 2, 0x6A, 0x0B), name("hi")));
        byte[] withCustoms = module(custom("a"), TYPES, custom("b"), FUNCTIONS, custom(""), EXPORTS, CODE, custom("z"));
        byte[] paddedLeb = module(bytes(1, 0x84, 0x80, 0x80, 0x80, 0x00, 1, 0x60, 0, 0), FUNCTIONS, EXPORTS, CODE);
        for (byte[] wasm : List.of(TINY, withImport, withData, withCustoms, paddedLeb)) {
            WasmBounds.check(wasm);
            assertNotNull(Parser.parse(wasm));
        }
    }

    @Test
    void everyCorpusModulePasses() throws IOException {
        List<Path> corpus;
        try (Stream<Path> files = Files.list(Fixtures.corpus(""))) {
            corpus = files.filter(p -> p.toString().endsWith(".wasm")).sorted().toList();
        }
        assertTrue(corpus.size() >= 15, "corpus " + corpus);
        for (Path p : corpus) {
            byte[] wasm = Files.readAllBytes(p);
            assertDoesNotThrow(() -> WasmBounds.check(wasm), p.toString());
        }
    }

    @Test
    void refusesHugeImportCountInATinyModule() {
        byte[] wasm = module(TYPES, section(2, leb(0xFFFF_FFFFL), name("ecu"), name("log"), bytes(0), leb(0)));
        assertTrue(wasm.length < 40);
        assertRefusedFast(wasm, "import section at offset 16", "4294967295 imports");
        assertRefusedFast(module(TYPES, section(2, leb(100_001), name("ecu"), name("log"), bytes(0), leb(0))),
                "100001 imports exceed the limit of 100000");
    }

    @Test
    void refusesHugeExportNameLength() {
        byte[] wasm = module(TYPES, FUNCTIONS, section(7, leb(1), leb(0x7FFF_FFFF), utf8("tick"), bytes(0), leb(0)), CODE);
        assertRefusedFast(wasm, "export section", "export name length 2147483647");
    }

    @Test
    void refusesSectionSizePastTheEnd() {
        assertRefusedFast(cat(HEADER, bytes(1), leb(16), bytes(1, 0x60, 0, 0)), "type section at offset 8",
                "size 16 runs past the end of the module (4 bytes left)");
        assertRefusedFast(cat(TINY, bytes(0), leb(0xFFFF_FFFFL), name("x")), "custom section", "size 4294967295");
        assertRefusedFast(cat(HEADER, bytes(14, 0)), "unknown section id 14");
    }

    @Test
    void refusesOverlongAndOverflowingLeb() {
        assertRefusedFast(module(bytes(1, 0x84, 0x80, 0x80, 0x80, 0x80, 0x00, 1, 0x60, 0, 0)), "type section at offset 9",
                "longer than 5 bytes");
        assertRefusedFast(module(bytes(1, 0x84, 0x80, 0x80, 0x80, 0x10, 1, 0x60, 0, 0)), "exceeds 32 bits");
        assertRefusedFast(module(TYPES, section(2, bytes(0x81, 0x80, 0x80, 0x80, 0x80, 0x00))), "import section",
                "longer than 5 bytes");
        byte[] overlongI32 = section(11, leb(1), bytes(0, 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0B), name("hi"));
        assertRefusedFast(module(MEMORY, overlongI32), "data section", "signed LEB128");
        byte[] i32OutOfRange = section(11, leb(1), bytes(0, 0x41, 0x80, 0x80, 0x80, 0x80, 0x08, 0x0B), name("hi"));
        assertRefusedFast(module(MEMORY, i32OutOfRange), "data section", "beyond 32 bits");
        byte[] i32Min = section(11, leb(1), bytes(0, 0x41, 0x80, 0x80, 0x80, 0x80, 0x78, 0x0B), name("hi"));
        WasmBounds.check(module(MEMORY, i32Min));
    }

    @Test
    void refusesBodyClaimingTwoToThe31Locals() {
        assertRefusedFast(module(TYPES, FUNCTIONS, body(cat(leb(1), leb(1L << 31), bytes(0x7F)))), "code section",
                "body 0 declares 2147483648 or more locals, over the limit of 50000");
        assertRefusedFast(module(TYPES, FUNCTIONS, body(cat(leb(2), leb(30_000), bytes(0x7F), leb(30_000), bytes(0x7E)))),
                "code section", "60000 or more locals");
        assertRefusedFast(module(TYPES, FUNCTIONS, body(cat(leb(0xFFFF_FFFFL), leb(1), bytes(0x7F)))),
                "4294967295 local declarations cannot fit");
        WasmBounds.check(module(TYPES, FUNCTIONS, body(cat(leb(2), leb(25_000), bytes(0x7F), leb(25_000), bytes(0x7E)))));
        assertRefusedFast(module(TYPES, FUNCTIONS, section(10, leb(1), leb(0x7FFF_FFFF), bytes(0, 0x0B))),
                "body 0 of 2147483647 bytes exceeds the limit of 7654321");
    }

    @Test
    void refusesDataSegmentLongerThanWhatIsLeft() {
        byte[] data = section(11, leb(1), bytes(0, 0x41, 0, 0x0B), leb(0x7FFF_FFFF), utf8("hi"));
        assertRefusedFast(module(MEMORY, data), "data section", "data segment length 2147483647 runs past the 2 bytes left");
        assertRefusedFast(module(MEMORY, section(11, leb(0xFFFF_FFFFL), bytes(1, 0))), "4294967295 data segments");
        assertRefusedFast(module(MEMORY, section(11, leb(1), bytes(0, 0x20, 0, 0x0B), name("hi"))),
                "instruction 0x20 is not allowed in a constant expression");
        assertRefusedFast(module(MEMORY, section(11, leb(1), bytes(3), name("hi"))), "unknown data segment flags 3");
    }

    /** Chicory decodes element vectors and the "name" section too: 2^26 entries there cost it 256 MiB and 64 MiB. */
    @Test
    void refusesHugeElementVectorsAndNameSectionLengths() {
        byte[] table = section(4, leb(1), bytes(0x70, 0, 1));
        assertRefusedFast(module(TYPES, FUNCTIONS, table, section(9, leb(1), bytes(0, 0x41, 0, 0x0B), leb(1 << 26), leb(0)), CODE),
                "element section", "67108864 element entries exceed the limit of 10000000");
        assertRefusedFast(module(TYPES, FUNCTIONS, table, section(9, leb(1), bytes(5, 0x70), leb(1 << 22), bytes(0xD2, 0, 0x0B)),
                CODE), "4194304 element entries cannot fit");
        assertRefusedFast(module(TYPES, FUNCTIONS, table, section(9, leb(1), bytes(8))), "unknown element segment flags 8");
        WasmBounds.check(module(TYPES, FUNCTIONS, table, section(9, leb(4), bytes(0, 0x41, 0, 0x0B), leb(1), leb(0),
                bytes(1, 0), leb(1), leb(0), bytes(2), leb(0), bytes(0x41, 0, 0x0B, 0), leb(1), leb(0),
                bytes(7, 0x70), leb(2), bytes(0xD2, 0, 0x0B, 0xD0, 0x70, 0x0B)), CODE));

        assertRefusedFast(module(TYPES, FUNCTIONS, CODE, section(0, name("name"), bytes(0), leb(9), leb(1 << 26), utf8("abcde"))),
                "custom section", "module name length 67108864 runs past the 5 bytes left");
        assertRefusedFast(module(TYPES, FUNCTIONS, CODE, section(0, name("name"), bytes(1), leb(6), leb(1), leb(0),
                leb(1 << 26), utf8("f"))), "name length 67108864");
        assertRefusedFast(module(TYPES, FUNCTIONS, CODE, section(0, name("name"), bytes(2), leb(6), leb(1 << 26), leb(0),
                leb(1), leb(0), name("f"))), "67108864 indirect name map entries cannot fit");
        assertRefusedFast(module(TYPES, FUNCTIONS, CODE, section(0, name("name"), bytes(1), leb(99), leb(0))),
                "name subsection 1 of 99 bytes runs past");
        WasmBounds.check(module(TYPES, FUNCTIONS, CODE, section(0, name("notname"), bytes(0), leb(6), leb(1 << 26))));
        byte[] subsections = cat(section(0, name("m")), section(1, leb(1), leb(0), name("f")),
                section(2, leb(1), leb(0), leb(1), leb(0), name("x")), section(42, bytes(7)));
        WasmBounds.check(module(TYPES, FUNCTIONS, CODE, section(0, name("name"), subsections)));
    }

    @Test
    void refusesDuplicateAndOutOfOrderSections() {
        assertRefusedFast(module(TYPES, TYPES, FUNCTIONS, CODE), "type section at offset 14", "duplicate section");
        assertRefusedFast(module(FUNCTIONS, TYPES, CODE), "type section", "must come before the function section");
        assertRefusedFast(module(TYPES, FUNCTIONS, CODE, section(12, leb(0))), "datacount section",
                "must come before the code section");
        assertRefusedFast(module(TYPES, FUNCTIONS, section(13, leb(0)), MEMORY, CODE), "memory section",
                "must come before the tag section");
        assertRefusedFast(module(TYPES, FUNCTIONS, EXPORTS), "the function section declares 1 functions, the code section 0");
        assertRefusedFast(module(TYPES, section(4, leb(101), new byte[303])), "101 tables exceed the limit of 100");
    }

    @Test
    void refusesUnsupportedTypeForms() {
        assertRefusedFast(module(section(1, leb(1), bytes(0x4E, 1, 0x60, 0, 0))), "type form 0x4E is not supported");
        assertRefusedFast(module(section(1, leb(1), bytes(0x60, 1, 0x63, 0, 0))), "unsupported value type 0x63");
        assertRefusedFast(module(TYPES, section(2, leb(1), name("a"), name("b"))), "import section", "content ends early");
        assertRefusedFast(module(section(1, leb(1), bytes(0x60, 0, 0, 0))), "1 bytes left over");
    }

    @Test
    void refusesCountsOverEngineLimitsEvenWhenTheBytesArePresent() {
        byte[] functions = section(3, leb(WasmBounds.MAX_FUNCTIONS + 1), new byte[WasmBounds.MAX_FUNCTIONS + 1]);
        assertRefusedFast(module(TYPES, functions), "function section", "1000001 functions exceed the limit of 1000000");
    }

    @Test
    void refusesBadMagicAndVersion() {
        assertRefusedFast(new byte[0], "module at offset 0", "no \\0asm magic");
        assertRefusedFast(bytes(0, 'a', 's'), "no \\0asm magic");
        assertRefusedFast(bytes(0, 'a', 's', 'n', 1, 0, 0, 0), "no \\0asm magic");
        assertRefusedFast(bytes(0, 'a', 's', 'm', 2, 0, 0, 0), "module at offset 4", "version");
        assertRefusedFast(bytes(0, 'a', 's', 'm', 0x0D, 0, 0x01, 0), "version");
        assertRefusedFast(bytes(0, 'a', 's', 'm', 1, 0, 0), "version");
    }

    /**
     * Every prefix cut inside a section is refused. A prefix cut between sections can be a
     * well-formed module (the 8-byte header alone is the empty module; every section is optional),
     * so one check passes is handed to Chicory, which must answer fast without running out of memory.
     */
    @Test
    void refusesEveryPrefixCutInsideASection() {
        Set<Integer> boundaries = sectionBoundaries(HEALTHY);
        WasmBounds.check(HEALTHY);
        Parser.parse(HEALTHY); // warm-up
        int refused = 0;
        for (int len = 0; len < HEALTHY.length; len++) {
            byte[] prefix = Arrays.copyOf(HEALTHY, len);
            if (!boundaries.contains(len)) {
                assertRefusedFast(prefix, "not valid WebAssembly");
                refused++;
                continue;
            }
            try {
                WasmBounds.check(prefix);
            } catch (RejectedException e) {
                assertEquals(PolicyFailure.INVALID_WASM, e.reason());
                refused++;
                continue;
            }
            long t0 = System.nanoTime();
            try {
                Parser.parse(prefix);
            } catch (ChicoryException e) {
                // refused by Chicory: fine
            }
            assertTrue(System.nanoTime() - t0 < MAX_NANOS, "Chicory on prefix " + len);
        }
        assertTrue(refused >= HEALTHY.length - boundaries.size(), "refused " + refused);
    }

    @Test
    void moduleInterfaceReadRefusesHugeImportCountFast() {
        byte[] wasm = module(TYPES, section(2, leb(0xFFFF_FFFFL), name("ecu"), name("log"), bytes(0), leb(0)));
        assertThrows(RejectedException.class, () -> ModuleInterface.read(wasm)); // warm-up
        long t0 = System.nanoTime();
        RejectedException e = assertThrows(RejectedException.class, () -> ModuleInterface.read(wasm));
        long nanos = System.nanoTime() - t0;
        assertEquals(PolicyFailure.INVALID_WASM, e.reason());
        assertTrue(e.getMessage().contains("4294967295 imports"), e.getMessage());
        assertTrue(nanos < MAX_NANOS, nanos + " ns");
        assertEquals(6, ModuleInterface.read(HEALTHY).exports().size());
    }

    /** Runs the check twice (the first pays one-off class loading and string-concatenation linkage), times the second. */
    static RejectedException assertRefusedFast(byte[] wasm, String... fragments) {
        assertThrows(RejectedException.class, () -> WasmBounds.check(wasm));
        long id = Thread.currentThread().getId();
        long allocated0 = THREADS.getThreadAllocatedBytes(id);
        long t0 = System.nanoTime();
        RejectedException e = null;
        try {
            WasmBounds.check(wasm);
        } catch (RejectedException x) {
            e = x;
        }
        long nanos = System.nanoTime() - t0;
        long allocated = THREADS.getThreadAllocatedBytes(id) - allocated0;
        if (e == null) {
            fail("check passed " + wasm.length + " bytes");
        }
        assertEquals(PolicyFailure.INVALID_WASM, e.reason());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
        assertTrue(nanos < MAX_NANOS, nanos + " ns: " + e.getMessage());
        assertTrue(allocated < MAX_ALLOCATED, allocated + " bytes allocated: " + e.getMessage());
        return e;
    }

    static byte[] module(byte[]... sections) {
        return cat(HEADER, cat(sections));
    }

    static byte[] section(int id, byte[]... content) {
        byte[] c = cat(content);
        return cat(bytes(id), leb(c.length), c);
    }

    /** A code section of one body; {@code locals} is the local-declaration vector, {@code end} follows it. */
    static byte[] body(byte[] locals) {
        byte[] b = cat(locals, bytes(0x0B));
        return section(10, leb(1), leb(b.length), b);
    }

    static byte[] custom(String name) {
        return section(0, name(name), bytes(1, 2, 3));
    }

    static byte[] name(String s) {
        byte[] b = utf8(s);
        return cat(leb(b.length), b);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] leb(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int b = (int) (v & 0x7F);
            v >>>= 7;
            out.write(v == 0 ? b : b | 0x80);
        } while (v != 0);
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}

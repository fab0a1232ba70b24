package dev.wasmota.signing.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.signing.manifest.EcuImport.Param;
import dev.wasmota.signing.manifest.EcuImport.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The supplier kit's C header and Rust crate declare exactly the host ABI ({@link EcuAbi}): a
 * change to a host import's name, type or status codes fails the build here until the kit is
 * generated again ({@code -Dwasmota.abi.write=true} on this test rewrites the generated parts).
 */
class EcuAbiBindingsTest {
    static final Path KIT = Path.of(System.getProperty("wasmota.kit", "../supplier-kit"));
    static final Path HEADER = KIT.resolve("c/ecu.h");
    static final Path CRATE_ABI = KIT.resolve("rust/ecu/src/abi.rs");
    static final String REGENERATE = "mvn -B -pl supplier-signing test -Dtest=EcuAbiBindingsTest -Dwasmota.abi.write=true";

    @Test
    void theCHeaderDeclaresExactlyTheHostAbi() throws IOException {
        String expected = EcuAbiBindings.c(EcuAbi.VERSION, EcuAbi.statuses(), EcuAbi.imports());
        String header = Files.readString(HEADER);
        if (Boolean.getBoolean("wasmota.abi.write")) {
            header = replaceBlock(header, expected);
            Files.writeString(HEADER, header);
        }
        List<String> drift = drift("ecu.h", generatedBlock(header), expected);
        assertTrue(drift.isEmpty(), () -> String.join("\n", drift) + "\nregenerate with: " + REGENERATE);
    }

    @Test
    void theRustCrateDeclaresExactlyTheHostAbi() throws IOException {
        String expected = EcuAbiBindings.rust(EcuAbi.VERSION, EcuAbi.statuses(), EcuAbi.imports());
        if (Boolean.getBoolean("wasmota.abi.write")) {
            Files.writeString(CRATE_ABI, expected);
        }
        List<String> drift = drift("abi.rs", Files.readString(CRATE_ABI), expected);
        assertTrue(drift.isEmpty(), () -> String.join("\n", drift) + "\nregenerate with: " + REGENERATE);
    }

    @Test
    void changingAHostImportsSignatureWithoutTheHeaderAndCrateFailsTheCheck() throws IOException {
        List<EcuImport> changed = new ArrayList<>();
        for (EcuImport i : EcuAbi.imports()) {
            changed.add(!i.name().equals("can_write") ? i : new EcuImport(i.name(), List.of(i.params().get(0),
                    new Param("value", "i32", Role.VALUE, "the signal's value")), i.result(), i.grantedBy(), i.summary()));
        }
        List<String> header = drift("ecu.h", generatedBlock(Files.readString(HEADER)),
                EcuAbiBindings.c(EcuAbi.VERSION, EcuAbi.statuses(), changed));
        List<String> crate = drift("abi.rs", Files.readString(CRATE_ABI),
                EcuAbiBindings.rust(EcuAbi.VERSION, EcuAbi.statuses(), changed));
        assertEquals(2, header.size() + crate.size(), () -> header + " " + crate);
        assertTrue(header.get(0).contains("`int32_t ecu_can_write(int32_t id, int32_t value);`; not in the ABI"), header::toString);
        assertTrue(header.get(0).contains("`int32_t ecu_can_write(int32_t id, int64_t value);`"), header::toString);
        assertTrue(crate.get(0).contains("`    pub fn can_write(id: i32, value: i32) -> i32;`"), crate::toString);
    }

    @Test
    void aNewStatusCodeWithoutTheHeaderAndCrateFailsTheCheck() throws IOException {
        List<EcuAbi.Status> more = new ArrayList<>(EcuAbi.statuses());
        more.add(new EcuAbi.Status(-5, "BUSY", "the bus is busy"));
        assertEquals(1, drift("ecu.h", generatedBlock(Files.readString(HEADER)),
                EcuAbiBindings.c(EcuAbi.VERSION, more, EcuAbi.imports())).size());
        assertEquals(1, drift("abi.rs", Files.readString(CRATE_ABI),
                EcuAbiBindings.rust(EcuAbi.VERSION, more, EcuAbi.imports())).size());
    }

    /**
     * What {@code actual} lacks of {@code expected} and has beyond it, line by line, as one message;
     * nothing when they are equal.
     */
    static List<String> drift(String file, String actual, String expected) {
        if (actual.equals(expected)) {
            return List.of();
        }
        List<String> a = actual.lines().toList();
        List<String> e = expected.lines().toList();
        List<String> missing = e.stream().filter(l -> !a.contains(l)).toList();
        List<String> unexpected = a.stream().filter(l -> !e.contains(l)).toList();
        return List.of(file + " differs from the host ABI (EcuAbi): missing " + quoted(missing) + "; not in the ABI "
                + quoted(unexpected) + (missing.isEmpty() && unexpected.isEmpty() ? " (same lines, another order)" : ""));
    }

    private static String quoted(List<String> lines) {
        return lines.isEmpty() ? "nothing" : "`" + String.join("`, `", lines) + "`";
    }

    static String generatedBlock(String header) {
        int begin = header.indexOf(EcuAbiBindings.C_BEGIN);
        int end = header.indexOf(EcuAbiBindings.C_END);
        if (begin < 0 || end < begin) {
            return "(no generated block: the markers are missing)";
        }
        return header.substring(begin, end + EcuAbiBindings.C_END.length()) + "\n";
    }

    private static String replaceBlock(String header, String block) {
        int begin = header.indexOf(EcuAbiBindings.C_BEGIN);
        int end = header.indexOf(EcuAbiBindings.C_END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(HEADER + " has no generated block to replace");
        }
        return header.substring(0, begin) + block.stripTrailing() + header.substring(end + EcuAbiBindings.C_END.length());
    }
}

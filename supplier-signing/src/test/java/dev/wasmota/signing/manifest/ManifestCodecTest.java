package dev.wasmota.signing.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmota.contract.error.ExitCode;
import dev.wasmota.signing.error.PolicyFailure;
import dev.wasmota.contract.error.RejectedException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestCodecTest {
    static final String SHA = "0123456789abcdef".repeat(4);
    static final String SBOM = "fedcba9876543210".repeat(4);

    /** The canonical bytes of {@link #small()}, pinned: a change here is a wire-format change. */
    static final String GOLDEN = "{\"capabilities\":[\"can.read:120\",\"log\"],\"deadlineUs\":2000,"
            + "\"exports\":[{\"name\":\"scale\",\"params\":[\"i64\"],\"results\":[\"i64\"]},"
            + "{\"name\":\"tick\",\"params\":[],\"results\":[]}],"
            + "\"format\":\"wasmota-manifest/2\",\"hardwareIds\":[\"ecu-a\"],\"memoryPages\":1,\"moduleId\":\"demo\","
            + "\"periodMs\":10,\"resources\":{\"dataBytes\":16,\"dataSegments\":1,\"elementEntries\":4,"
            + "\"elementSegments\":1,\"globals\":2,\"tableElements\":8,\"tables\":1},\"securityVersion\":7,\"supplierId\":\"acme\",\"version\":\"1.2.3\","
            + "\"wasm\":{\"length\":42,\"sha256\":\"" + SHA + "\"}}";

    static final ResourceCaps RESOURCES = new ResourceCaps(1, 8, 2, 1, 16, 1, 4);

    static final Manifest.Export TICK = new Manifest.Export("tick", FunctionType.of(List.of(), List.of()));
    static final Manifest.Export SCALE = new Manifest.Export("scale", FunctionType.of(List.of("i64"), List.of("i64")));

    static Manifest small() {
        return new Manifest("demo", "1.2.3", 7, "acme", SHA, 42, List.of(TICK, SCALE),
                CapabilitySet.parse("log,can.read:120"), 1, RESOURCES, 2000, 10, List.of("ecu-a"), Optional.empty());
    }

    static Manifest full() {
        return new Manifest("brake-temp", "2.0.0-rc.1+build.5", 4_294_967_295L, "acme", SHA, Manifest.MAX_WASM_LENGTH,
                List.of(TICK, SCALE, new Manifest.Export("init", FunctionType.of(List.of(), List.of("i32")))),
                CapabilitySet.parse("log,clock,can.read:1a0-1a3,can.read:1b0,can.write:3a0-3a3,i2c:1:50"),
                Manifest.MAX_MEMORY_PAGES, ResourceCaps.FORMAT_MAXIMA, Manifest.MAX_DEADLINE_US, Manifest.MAX_PERIOD_MS, List.of("ecu-b", "ecu-a"),
                Optional.of(SBOM));
    }

    @Test
    void writesTheGoldenCanonicalBytes() {
        assertEquals(GOLDEN, new String(ManifestCodec.canonicalBytes(small()), StandardCharsets.UTF_8));
    }

    @Test
    void writesTheSbomDigestWhenPresent() {
        Manifest m = small();
        Manifest withSbom = new Manifest(m.moduleId(), m.version(), m.securityVersion(), m.supplierId(), m.wasmSha256(),
                m.wasmLength(), m.exports(), m.capabilities(), m.memoryPages(), m.resources(), m.deadlineUs(), m.periodMs(),
                m.hardwareIds(), Optional.of(SBOM));
        String expected = GOLDEN.replace(",\"securityVersion\"", ",\"sbomSha256\":\"" + SBOM + "\",\"securityVersion\"");
        assertEquals(expected, new String(ManifestCodec.canonicalBytes(withSbom), StandardCharsets.UTF_8));
    }

    @Test
    void parsesTheGoldenBytes() {
        assertEquals(small(), ManifestCodec.parse(bytes(GOLDEN)));
    }

    @Test
    void roundTrips() {
        for (Manifest m : List.of(small(), full())) {
            byte[] bytes = ManifestCodec.canonicalBytes(m);
            Manifest back = ManifestCodec.parse(bytes);
            assertEquals(m, back);
            assertEquals(new String(bytes, StandardCharsets.UTF_8),
                    new String(ManifestCodec.canonicalBytes(back), StandardCharsets.UTF_8));
        }
    }

    @Test
    void sameManifestWithListsInAnotherOrderGivesIdenticalBytes() {
        Manifest a = full();
        List<Manifest.Export> exports = new ArrayList<>(a.exports());
        Collections.reverse(exports);
        List<Capability> caps = new ArrayList<>(a.capabilities().items());
        Collections.reverse(caps);
        Manifest b = new Manifest(a.moduleId(), a.version(), a.securityVersion(), a.supplierId(), a.wasmSha256(),
                a.wasmLength(), exports, new CapabilitySet(caps), a.memoryPages(), a.resources(), a.deadlineUs(), a.periodMs(),
                List.of("ecu-a", "ecu-b", "ecu-a"), a.sbomSha256());
        assertEquals(new String(ManifestCodec.canonicalBytes(a), StandardCharsets.UTF_8),
                new String(ManifestCodec.canonicalBytes(b), StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "space after a colon       | \"deadlineUs\":2000 | \"deadlineUs\": 2000",
            "space after a comma       | ,\"format\"         | , \"format\"",
            "escaped slash             | wasmota-manifest/2 | wasmota-manifest\\/2",
            "unicode escape            | \"demo\"            | \"d\\u0065mo\"",
            "reordered keys            | \"capabilities\":[\"can.read:120\",\"log\"],\"deadlineUs\":2000, "
                    + "| \"deadlineUs\":2000,\"capabilities\":[\"can.read:120\",\"log\"],",
            "reordered nested keys     | {\"length\":42,\"sha256\":\"" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"} "
                    + "| {\"sha256\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"length\":42}",
            "unknown top-level field   | \"format\"          | \"extra\":1,\"format\"",
            "unknown wasm field        | \"length\":42,      | \"length\":42,\"md5\":\"x\",",
            "unknown export field      | \"results\":[]}     | \"results\":[],\"x\":1}",
            "duplicate key             | \"memoryPages\":1,  | \"memoryPages\":1,\"memoryPages\":1,",
            "missing field             | \"periodMs\":10,    | ''",
            "missing wasm length       | \"length\":42,      | ''",
            "missing export params     | \"params\":[],      | ''",
            "float number              | \"memoryPages\":1,  | \"memoryPages\":1.0,",
            "exponent number           | \"memoryPages\":1,  | \"memoryPages\":1e0,",
            "number as string          | \"memoryPages\":1,  | \"memoryPages\":\"1\",",
            "string as number          | \"version\":\"1.2.3\" | \"version\":123",
            "leading zero              | \"securityVersion\":7 | \"securityVersion\":07",
            "wrong format tag          | wasmota-manifest/2 | wasmota-manifest/3",
            "format 1 tag              | wasmota-manifest/2 | wasmota-manifest/1",
            "missing resources         | \"resources\":{\"dataBytes\":16,\"dataSegments\":1,\"elementEntries\":4,\"elementSegments\":1,\"globals\":2,\"tableElements\":8,\"tables\":1}, | ''",
            "resources not an object   | \"resources\":{\"dataBytes\":16,\"dataSegments\":1,\"elementEntries\":4,\"elementSegments\":1,\"globals\":2,\"tableElements\":8,\"tables\":1} | \"resources\":8",
            "unknown resources field   | \"globals\":2,     | \"globals\":2,\"memories\":1,",
            "missing resources field   | \"globals\":2,     | ''",
            "unsorted resources        | \"tableElements\":8,\"tables\":1 | \"tables\":1,\"tableElements\":8",
            "negative table elements   | \"tableElements\":8 | \"tableElements\":-8",
            "tables above 100          | \"tables\":1}      | \"tables\":101}",
            "table elements above 10M  | \"tableElements\":8 | \"tableElements\":10000001",
            "globals as string         | \"globals\":2,     | \"globals\":\"2\",",
            "data bytes as float       | \"dataBytes\":16,  | \"dataBytes\":16.0,",
            "unsorted capabilities     | [\"can.read:120\",\"log\"] | [\"log\",\"can.read:120\"]",
            "duplicate capability      | [\"can.read:120\",\"log\"] | [\"can.read:120\",\"log\",\"log\"]",
            "non-canonical capability  | [\"can.read:120\",\"log\"] | [\"can.read:0x120\",\"log\"]",
            "uppercase capability hex  | [\"can.read:120\",\"log\"] | [\"can.read:1A0\",\"log\"]",
            "unsorted exports          | {\"name\":\"scale\",\"params\":[\"i64\"],\"results\":[\"i64\"]},{\"name\":\"tick\",\"params\":[],\"results\":[]} "
                    + "| {\"name\":\"tick\",\"params\":[],\"results\":[]},{\"name\":\"scale\",\"params\":[\"i64\"],\"results\":[\"i64\"]}",
            "duplicate export          | {\"name\":\"tick\"  | {\"name\":\"tick\",\"params\":[],\"results\":[]},{\"name\":\"tick\"",
            "unknown value type        | [\"i64\"],\"results\" | [\"i128\"],\"results\"",
            "duplicate hardware id     | [\"ecu-a\"]         | [\"ecu-a\",\"ecu-a\"]",
            "memoryPages 0             | \"memoryPages\":1,  | \"memoryPages\":0,",
            "memoryPages wrapping to 1 | \"memoryPages\":1,  | \"memoryPages\":-4294967295,",
            "memoryPages too large     | \"memoryPages\":1,  | \"memoryPages\":65537,",
            "deadlineUs 0              | \"deadlineUs\":2000 | \"deadlineUs\":0",
            "periodMs negative         | \"periodMs\":10     | \"periodMs\":-10",
            "securityVersion above 2^32-1 | \"securityVersion\":7 | \"securityVersion\":4294967296",
            "securityVersion beyond long  | \"securityVersion\":7 | \"securityVersion\":99999999999999999999",
            "bad semver                | \"1.2.3\"           | \"1.2\"",
            "semver leading zero       | \"1.2.3\"           | \"1.02.3\"",
            "module id path            | \"demo\"            | \"../x\"",
            "module id uppercase       | \"demo\"            | \"Demo\"",
            "supplier id empty         | \"acme\"            | \"\"",
            "sha256 uppercase          | 0123456789abcdef\"}} | 0123456789ABCDEF\"}}",
            "sha256 short              | 0123456789abcdef\"}} | 0123456789abcde\"}}",
            "wasm length 0             | \"length\":42       | \"length\":0",
            "wasm length above cap     | \"length\":42       | \"length\":8388609",
            "hardware id invalid       | [\"ecu-a\"]         | [\"ecu a\"]",
            "wasm not an object        | \"wasm\":{\"length\":42,\"sha256\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"} "
                    + "| \"wasm\":[]",
            "export not an object      | \"exports\":[       | \"exports\":[[],",
            "trailing value            | \"}}                | \"}}{}",
    })
    void rejectsMalformedManifest(String what, String from, String to) {
        assertTrue(GOLDEN.contains(from), "fixture: '" + from + "' not in golden");
        String broken = GOLDEN.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
        RejectedException e = assertThrows(RejectedException.class, () -> ManifestCodec.parse(bytes(broken)), what);
        assertEquals(PolicyFailure.MALFORMED_MANIFEST, e.reason(), what + ": " + e.getMessage());
        assertEquals(ExitCode.POLICY, e.exitCode());
    }

    @Test
    void refusesAFormatOneManifestSayingWhyAndWhatToDo() {
        String formatOne = GOLDEN.replace("wasmota-manifest/2", "wasmota-manifest/1")
                .replaceFirst("\"resources\":\\{[^}]*\\},", "");
        assertTrue(!formatOne.contains("resources"), formatOne);
        RejectedException e = assertThrows(RejectedException.class, () -> ManifestCodec.parse(bytes(formatOne)));
        assertEquals(PolicyFailure.MALFORMED_MANIFEST, e.reason());
        assertTrue(e.getMessage().contains("wasmota-manifest/1 is no longer accepted")
                && e.getMessage().contains("package the module again"), e.getMessage());
    }

    @Test
    void rejectsWhitespaceOutsideTheCanonicalForm() {
        for (String broken : new String[] {GOLDEN + "\n", " " + GOLDEN, GOLDEN.replace("\"wasm\":{", "\"wasm\":\n{"),
                GOLDEN.replace(",\"format\"", ",\t\"format\"")}) {
            RejectedException e = assertThrows(RejectedException.class, () -> ManifestCodec.parse(bytes(broken)));
            assertEquals(PolicyFailure.MALFORMED_MANIFEST, e.reason());
        }
    }

    @Test
    void rejectsCapabilityOutsideTheGrammarAsMalformedCapability() {
        String broken = GOLDEN.replace("[\"can.read:120\",\"log\"]", "[\"can.read:120\",\"teleport\"]");
        RejectedException e = assertThrows(RejectedException.class, () -> ManifestCodec.parse(bytes(broken)));
        assertEquals(PolicyFailure.MALFORMED_CAPABILITY, e.reason());
    }

    @Test
    void namesTheProblemInTheMessage() {
        assertMessage(GOLDEN.replace("\"format\"", "\"extra\":1,\"format\""), "unknown field 'extra'");
        assertMessage(GOLDEN.replace("\"periodMs\":10,", ""), "missing field 'periodMs'");
        assertMessage(GOLDEN.replace("wasmota-manifest/2", "wasmota-manifest/3"), "format");
        assertMessage(GOLDEN.replace("\"tables\":1}", "\"tables\":101}"), "tables 101 is outside 0..100");
        assertMessage(GOLDEN.replace("\"memoryPages\":1,", "\"memoryPages\":0,"), "memoryPages");
        assertMessage(GOLDEN.replace("\"demo\"", "\"../x\""), "../x");
        assertMessage(GOLDEN.replace("\"deadlineUs\":2000", "\"deadlineUs\": 2000"), "canonical");
    }

    @Test
    void rejectsInvalidJson() {
        for (String s : new String[] {"", "{", "{\"a\":", "[]", "null", "42", "\"manifest\"", "{}", GOLDEN.substring(0, GOLDEN.length() - 1)}) {
            RejectedException e = assertThrows(RejectedException.class, () -> ManifestCodec.parse(bytes(s)), s);
            assertEquals(PolicyFailure.MALFORMED_MANIFEST, e.reason(), s);
        }
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] b = bytes(GOLDEN.replace("\"demo\"", "\"de?o\""));
        int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("de?o") + 2;
        b[at] = (byte) 0xff;
        RejectedException e = assertThrows(RejectedException.class, () -> ManifestCodec.parse(b));
        assertEquals(PolicyFailure.MALFORMED_MANIFEST, e.reason());
    }

    @Test
    void rejectsLoneSurrogateInAnExportNameAsMalformed() {
        String broken = GOLDEN.replace("{\"name\":\"tick\"", "{\"name\":\"t\\ud800ick\"");
        RejectedException e = assertThrows(RejectedException.class, () -> ManifestCodec.parse(bytes(broken)));
        assertEquals(PolicyFailure.MALFORMED_MANIFEST, e.reason());
    }

    @Test
    void rejectsManifestOverSixtyFourKibBeforeParsing() {
        List<Manifest.Export> many = new ArrayList<>(List.of(TICK));
        for (int i = 0; i < 300; i++) {
            many.add(new Manifest.Export(String.format("f%03d", i) + "x".repeat(240), TICK.type()));
        }
        Manifest m = small();
        Manifest big = new Manifest(m.moduleId(), m.version(), m.securityVersion(), m.supplierId(), m.wasmSha256(),
                m.wasmLength(), many, m.capabilities(), m.memoryPages(), m.resources(), m.deadlineUs(), m.periodMs(), m.hardwareIds(),
                m.sbomSha256());
        byte[] bytes = dev.wasmota.contract.json.CanonicalJson.bytes(ManifestCodec.toJson(big));
        assertTrue(bytes.length > ManifestCodec.MAX_BYTES, "fixture too small: " + bytes.length);
        RejectedException written = assertThrows(RejectedException.class, () -> ManifestCodec.canonicalBytes(big));
        assertEquals(PolicyFailure.MALFORMED_MANIFEST, written.reason());
        RejectedException e = assertThrows(RejectedException.class, () -> ManifestCodec.parse(bytes));
        assertEquals(PolicyFailure.MALFORMED_MANIFEST, e.reason());
        assertTrue(e.getMessage().contains("exceeds " + ManifestCodec.MAX_BYTES), e.getMessage());
    }

    @Test
    void acceptsManifestOfExactlySixtyFourKib() {
        List<Manifest.Export> many = new ArrayList<>(List.of(TICK));
        for (int i = 0; i < 300; i++) {
            many.add(new Manifest.Export(String.format("f%03d", i) + "x".repeat(175), TICK.type()));
        }
        Manifest m = small();
        Manifest big = new Manifest(m.moduleId(), m.version(), m.securityVersion(), m.supplierId(), m.wasmSha256(),
                m.wasmLength(), many, m.capabilities(), m.memoryPages(), m.resources(), m.deadlineUs(), m.periodMs(),
                m.hardwareIds(), m.sbomSha256());
        int shortBy = ManifestCodec.MAX_BYTES - ManifestCodec.canonicalBytes(big).length;
        assertTrue(shortBy > 0 && shortBy < 300 * 60, "fixture: " + shortBy);
        for (int i = 1; shortBy > 0; i++) {
            int add = Math.min(shortBy, Manifest.MAX_EXPORT_NAME_LENGTH - many.get(i).name().length());
            many.set(i, new Manifest.Export(many.get(i).name() + "y".repeat(add), TICK.type()));
            shortBy -= add;
        }
        Manifest exact = new Manifest(m.moduleId(), m.version(), m.securityVersion(), m.supplierId(), m.wasmSha256(),
                m.wasmLength(), many, m.capabilities(), m.memoryPages(), m.resources(), m.deadlineUs(), m.periodMs(), m.hardwareIds(),
                m.sbomSha256());
        byte[] bytes = ManifestCodec.canonicalBytes(exact);
        assertEquals(ManifestCodec.MAX_BYTES, bytes.length);
        assertEquals(exact, ManifestCodec.parse(bytes));
    }

    private static void assertMessage(String json, String expected) {
        RejectedException e = assertThrows(RejectedException.class, () -> ManifestCodec.parse(bytes(json)));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

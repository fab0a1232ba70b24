package dev.wasmota.oem.vectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A test-vector file of CONTRACT.md: a JSON list of cases run in order on one instance, each
 * {@code {"export": NAME, "args": [..], "expect": [..], "repeat": N, "can": {"0x120": 42}}}.
 * Integers may be JSON numbers or decimal strings (for i64); CAN ids are hex with an optional
 * {@code 0x}, as in the capability grammar. Parsing is strict and bounded: unknown fields,
 * duplicate keys and oversized input are refused with the case and field named.
 *
 * @param cases the cases, in file order
 */
public record TestVectors(List<Case> cases) {
    /** Largest file accepted, in bytes. */
    public static final int MAX_BYTES = 1 << 20;
    public static final int MAX_CASES = 10_000;
    public static final int MAX_REPEAT = 1_000_000;
    /** Most args or expected values in one case. */
    public static final int MAX_VALUES = 64;
    /** Most CAN signals one case sets. */
    public static final int MAX_SIGNALS = 256;

    private static final Set<String> FIELDS = Set.of("export", "args", "expect", "repeat", "can", "name");
    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,20}");
    private static final Pattern CAN_ID = Pattern.compile("(0[xX])?[0-9a-fA-F]{1,8}");
    private static final int MAX_CAN_ID = 0x1FFF_FFFF;
    private static final StrictJson<RejectedException> JSON = StrictJson.refusing(VectorFailure.MALFORMED_VECTORS)
            .maxBytes(MAX_BYTES).maxNestingDepth(8).maxNumberLength(64).maxStringLength(1024)
            .tooLarge((where, size, max) -> "vector file larger than " + max + " bytes")
            .notJson((where, e) -> e instanceof JsonProcessingException p ? "not valid JSON: " + p.getOriginalMessage()
                    : "not readable JSON: " + e.getMessage())
            .notObject(where -> where + ": not a JSON object")
            .unknownField((where, field) -> where + ": unknown field '" + field + "' (known: "
                    + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")")
            .build();

    /**
     * One case.
     *
     * @param index position in the file, from 0
     * @param name optional label ({@code "name"}), else empty
     * @param export the exported function to call
     * @param args arguments: {@link BigInteger} for integers, {@link Double} for floats
     * @param expect the expected results, if given; else the call must just not fault
     * @param repeat how many times to call, each checked
     * @param can CAN signal values to set before the first call, by id
     */
    public record Case(int index, String name, String export, List<Number> args, Optional<List<Number>> expect,
            int repeat, Map<Integer, Long> can) {
        public Case {
            args = List.copyOf(args);
            expect = expect.map(List::copyOf);
            can = Collections.unmodifiableMap(new LinkedHashMap<>(can));
        }

        /** {@code case 3 (scale)}, for messages. */
        public String label() {
            return "case " + index + " (" + (name.isEmpty() ? export : name) + ")";
        }
    }

    public TestVectors {
        cases = List.copyOf(cases);
    }

    /** Reads and parses a vector file, refusing one larger than {@link #MAX_BYTES} before reading it all. */
    public static TestVectors read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            return parse(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** @throws RejectedException {@link VectorFailure#MALFORMED_VECTORS} naming the case and field */
    public static TestVectors parse(byte[] json) {
        JsonNode root = JSON.tree(json, "vector file");
        if (root == null || !root.isArray()) {
            throw malformed("the file must be a JSON list of cases");
        }
        if (root.isEmpty() || root.size() > MAX_CASES) {
            throw malformed("the file holds " + root.size() + " cases; expected 1.." + MAX_CASES);
        }
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            cases.add(parseCase(i, root.get(i)));
        }
        return new TestVectors(cases);
    }

    private static Case parseCase(int i, JsonNode n) {
        String at = "case " + i;
        JsonNode node = JSON.object(n, at).known(FIELDS).node();
        JsonNode export = node.get("export");
        if (export == null || !export.isTextual() || export.asText().isEmpty()) {
            throw malformed(at + ": 'export' must be a non-empty string");
        }
        JsonNode name = node.get("name");
        if (name != null && !name.isTextual()) {
            throw malformed(at + ": 'name' must be a string");
        }
        JsonNode args = node.get("args");
        List<Number> argValues = args == null ? List.of() : values(at + ": 'args'", args);
        Optional<List<Number>> expect = node.has("expect")
                ? Optional.of(values(at + ": 'expect'", node.get("expect")))
                : Optional.empty();
        return new Case(i, name == null ? "" : name.asText(), export.asText(), argValues, expect,
                repeat(at, node.get("repeat")), signals(at, node.get("can")));
    }

    private static List<Number> values(String at, JsonNode list) {
        if (!list.isArray() || list.size() > MAX_VALUES) {
            throw malformed(at + " must be a list of at most " + MAX_VALUES + " numbers");
        }
        List<Number> out = new ArrayList<>();
        for (int j = 0; j < list.size(); j++) {
            out.add(number(at + "[" + j + "]", list.get(j)));
        }
        return out;
    }

    private static Number number(String at, JsonNode v) {
        if (v.isFloatingPointNumber()) {
            return v.doubleValue();
        }
        BigInteger n;
        if (v.isIntegralNumber()) {
            n = v.bigIntegerValue();
        } else if (v.isTextual() && DECIMAL.matcher(v.asText()).matches()) {
            n = new BigInteger(v.asText());
        } else {
            throw malformed(at + ": " + v + " is neither a number nor a decimal integer string");
        }
        if (n.compareTo(MIN) < 0 || n.compareTo(MAX) > 0) {
            throw malformed(at + ": " + n + " does not fit in 64 bits");
        }
        return n;
    }

    private static int repeat(String at, JsonNode v) {
        if (v == null) {
            return 1;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1 || v.intValue() > MAX_REPEAT) {
            throw malformed(at + ": 'repeat' must be an integer 1.." + MAX_REPEAT + ", not " + v);
        }
        return v.intValue();
    }

    private static Map<Integer, Long> signals(String at, JsonNode v) {
        if (v == null) {
            return Map.of();
        }
        if (!v.isObject() || v.size() > MAX_SIGNALS) {
            throw malformed(at + ": 'can' must be an object of at most " + MAX_SIGNALS + " signals");
        }
        Map<Integer, Long> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (!CAN_ID.matcher(key).matches()) {
                throw malformed(at + ": CAN id '" + key + "' is not hex (e.g. \"0x120\")");
            }
            long id = Long.parseLong(key.startsWith("0x") || key.startsWith("0X") ? key.substring(2) : key, 16);
            if (id > MAX_CAN_ID) {
                throw malformed(at + ": CAN id '" + key + "' exceeds 0x1fffffff");
            }
            Number value = number(at + ": 'can' " + key, e.getValue());
            if (!(value instanceof BigInteger b)) {
                throw malformed(at + ": CAN signal " + key + " must be an integer");
            }
            if (out.put((int) id, b.longValue()) != null) {
                throw malformed(at + ": CAN id " + key + " given twice");
            }
        }
        return out;
    }

    private static RejectedException malformed(String detail) {
        return new RejectedException(VectorFailure.MALFORMED_VECTORS, detail);
    }
}

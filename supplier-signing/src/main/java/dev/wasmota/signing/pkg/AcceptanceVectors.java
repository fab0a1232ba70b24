package dev.wasmota.signing.pkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wasmota.contract.error.RejectedException;
import dev.wasmota.contract.json.CanonicalJson;
import dev.wasmota.contract.json.StrictJson;
import dev.wasmota.signing.error.TrustFailure;
import dev.wasmota.signing.pki.CertRole;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;

/**
 * A few of the intake's test vectors with the results the OEM's sandbox gave, carried inside the
 * OEM's countersignature (a signed attribute) so that each vehicle runs them in a sandbox of its
 * own, on the code it compiled itself, before it commits an install: a miscompile or a tampered
 * compiler on the vehicle is caught by behaviour, not only by the compiled-output digest.
 *
 * <p>The cases are a prefix of the intake's vector file (cases run in order on one instance, so a
 * prefix keeps the state each case expects). Values are WASM values in the long form the sandbox
 * passes them (an f64 as its raw bits), written as decimal strings; the attribute's value is the
 * RFC 8785 canonical JSON {@code {"format":1,"cases":[{"export":..,"args":[..],"expect":[..],
 * "repeat":N,"can":{"288":"42"}}]}} in an OCTET STRING. Bounded and strictly parsed, and read
 * only from a countersignature already verified.
 *
 * @param cases the cases, in the order the vehicle runs them
 */
public record AcceptanceVectors(List<Case> cases) {
    /** Signed attribute in the OEM's countersignature: OCTET STRING holding the canonical JSON. */
    public static final ASN1ObjectIdentifier OID = CertRole.ARC.branch("27");
    public static final int FORMAT = 1;
    /** Most cases carried (a small set: the vehicle runs them before every commit). */
    public static final int MAX_CASES = 16;
    /** Most calls the cases make together, repeats included. */
    public static final int MAX_CALLS = 1_000;
    /** Largest encoded attribute value accepted, in bytes. */
    public static final int MAX_BYTES = 64 * 1024;
    /** Most args, expected values or CAN signals in one case. */
    public static final int MAX_VALUES = 64;

    private static final Set<String> TOP = Set.of("format", "cases");
    private static final Set<String> FIELDS = Set.of("name", "export", "args", "expect", "repeat", "can");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,19}");
    private static final Pattern NAME = Pattern.compile("[\\x20-\\x7e]{0,64}");
    private static final int MAX_CAN_ID = 0x1FFF_FFFF;
    private static final String MALFORMED = "the OEM's acceptance-vectors attribute is malformed: ";
    private static final StrictJson<RejectedException> JSON = StrictJson.refusing(TrustFailure.BAD_SIGNATURE, MALFORMED)
            .maxBytes(MAX_BYTES).maxNestingDepth(6).maxNumberLength(24).maxStringLength(256)
            .tooLarge((where, size, max) -> "larger than " + max + " bytes")
            .notJson((where, e) -> "not valid JSON")
            .rootNotObject(where -> "not a JSON object")
            .unknownField((where, field) -> where + " has an unknown field '" + field + "'")
            .build();

    /**
     * One case: call {@code export} with {@code args} {@code repeat} times on the same instance,
     * after setting the CAN signals {@code can}; each call must return {@code expect} when given,
     * else just not fault.
     *
     * @param index position among the acceptance cases, from 0
     * @param name the intake case's label (for messages)
     */
    public record Case(int index, String name, String export, List<Long> args, Optional<List<Long>> expect,
            int repeat, Map<Integer, Long> can) {
        public Case {
            args = List.copyOf(args);
            expect = expect.map(List::copyOf);
            can = Collections.unmodifiableMap(new TreeMap<>(can));
        }

        /** {@code acceptance case 1 (scale)}, for messages. */
        public String label() {
            return "acceptance case " + index + " (" + (name.isEmpty() ? export : name) + ")";
        }
    }

    public AcceptanceVectors {
        cases = List.copyOf(cases);
        if (cases.isEmpty() || cases.size() > MAX_CASES) {
            throw new IllegalArgumentException("acceptance vectors hold 1.." + MAX_CASES + " cases, not " + cases.size());
        }
        long calls = cases.stream().mapToLong(Case::repeat).sum();
        if (calls > MAX_CALLS) {
            throw new IllegalArgumentException("acceptance vectors make " + calls + " calls; at most " + MAX_CALLS);
        }
    }

    /** The number of calls the cases make together. */
    public long calls() {
        return cases.stream().mapToLong(Case::repeat).sum();
    }

    /** {@code table} with these vectors added as the signed attribute {@link #OID}. */
    public AttributeTable addTo(AttributeTable table) {
        return table.add(OID, new DEROctetString(encode()));
    }

    /** The canonical JSON carried in the attribute. */
    public byte[] encode() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format", FORMAT);
        ArrayNode list = root.putArray("cases");
        for (Case c : cases) {
            ObjectNode n = list.addObject();
            if (!c.name().isEmpty()) {
                n.put("name", c.name());
            }
            n.put("export", c.export());
            ArrayNode args = n.putArray("args");
            c.args().forEach(a -> args.add(Long.toString(a)));
            c.expect().ifPresent(e -> {
                ArrayNode ex = n.putArray("expect");
                e.forEach(v -> ex.add(Long.toString(v)));
            });
            n.put("repeat", c.repeat());
            if (!c.can().isEmpty()) {
                ObjectNode can = n.putObject("can");
                c.can().forEach((id, v) -> can.put(Integer.toString(id), Long.toString(v)));
            }
        }
        return CanonicalJson.bytes(root);
    }

    /**
     * The acceptance vectors in a verified package's countersignature, if the OEM put them there.
     *
     * @throws RejectedException {@link TrustFailure#BAD_SIGNATURE} when the attribute is malformed
     *     (it is signed, so only a faulty OEM tool makes one)
     */
    public static Optional<AcceptanceVectors> of(VerifiedPackage verified) {
        Optional<Attribute> attr = verified.releaseAttributes().map(t -> t.get(OID));
        if (attr.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (attr.get().getAttrValues().size() != 1) {
                throw malformed("more than one value");
            }
            byte[] json = ASN1OctetString.getInstance(attr.get().getAttrValues().getObjectAt(0)).getOctets();
            return Optional.of(decode(json));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw malformed(e.getMessage());
        }
    }

    /** Parses the attribute's JSON. @throws RejectedException {@link TrustFailure#BAD_SIGNATURE} naming the problem */
    public static AcceptanceVectors decode(byte[] json) {
        JsonNode root = JSON.read(json, "the object").known(TOP).node();
        JsonNode format = root.get("format");
        if (format == null || !format.isInt() || format.intValue() != FORMAT) {
            throw malformed("format must be " + FORMAT);
        }
        JsonNode list = root.get("cases");
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_CASES) {
            throw malformed("cases must be a list of 1.." + MAX_CASES);
        }
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            cases.add(parseCase(i, list.get(i)));
        }
        try {
            return new AcceptanceVectors(cases);
        } catch (IllegalArgumentException e) {
            throw malformed(e.getMessage());
        }
    }

    private static Case parseCase(int i, JsonNode node) {
        String at = "case " + i;
        JsonNode n = JSON.object(node, at).known(FIELDS).node();
        JsonNode export = n.get("export");
        if (export == null || !export.isTextual() || !NAME.matcher(export.asText()).matches() || export.asText().isEmpty()) {
            throw malformed(at + ": export must be a name");
        }
        JsonNode name = n.get("name");
        if (name != null && (!name.isTextual() || !NAME.matcher(name.asText()).matches())) {
            throw malformed(at + ": name must be printable text of at most 64 characters");
        }
        JsonNode repeat = n.get("repeat");
        if (repeat == null || !repeat.isInt() || repeat.intValue() < 1 || repeat.intValue() > MAX_CALLS) {
            throw malformed(at + ": repeat must be 1.." + MAX_CALLS);
        }
        Optional<List<Long>> expect = n.has("expect") ? Optional.of(longs(at + ": expect", n.get("expect")))
                : Optional.empty();
        return new Case(i, name == null ? "" : name.asText(), export.asText(), longs(at + ": args", n.get("args")),
                expect, repeat.intValue(), signals(at, n.get("can")));
    }

    private static List<Long> longs(String at, JsonNode list) {
        if (list == null || !list.isArray() || list.size() > MAX_VALUES) {
            throw malformed(at + " must be a list of at most " + MAX_VALUES + " values");
        }
        List<Long> out = new ArrayList<>();
        for (JsonNode v : list) {
            out.add(decimal(at, v));
        }
        return out;
    }

    private static Map<Integer, Long> signals(String at, JsonNode can) {
        if (can == null) {
            return Map.of();
        }
        if (!can.isObject() || can.size() > MAX_VALUES) {
            throw malformed(at + ": can must be an object of at most " + MAX_VALUES + " signals");
        }
        Map<Integer, Long> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = can.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().matches("[0-9]{1,9}") || Long.parseLong(e.getKey()) > MAX_CAN_ID) {
                throw malformed(at + ": CAN id " + e.getKey() + " is not a decimal id up to 0x1fffffff");
            }
            out.put(Integer.parseInt(e.getKey()), decimal(at + ": can " + e.getKey(), e.getValue()));
        }
        return out;
    }

    private static long decimal(String at, JsonNode v) {
        if (!v.isTextual() || !DECIMAL.matcher(v.asText()).matches()) {
            throw malformed(at + ": " + v + " is not a decimal string");
        }
        try {
            return Long.parseLong(v.asText());
        } catch (NumberFormatException e) {
            throw malformed(at + ": " + v.asText() + " does not fit in 64 bits");
        }
    }

    private static RejectedException malformed(String detail) {
        return new RejectedException(TrustFailure.BAD_SIGNATURE, MALFORMED + detail);
    }
}

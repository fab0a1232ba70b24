package dev.wasmota.contract.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.wasmota.contract.error.Reason;
import dev.wasmota.contract.error.RejectedException;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The one strict reader of the JSON our formats carry: a duplicate key anywhere, trailing
 * content, input over the size bound (checked before parsing) or over the nesting, string and
 * number bounds, an unknown or missing field and a value of the wrong type are each refused with
 * one line. What each refusal says and what it is thrown as belong to the format: a codec builds
 * one reader (a constant) with its {@link Refusal} (its reason code, or its own exception) and
 * the phrasing of the refusals it words differently from the defaults, so that moving a codec
 * onto this reader changes none of its messages.
 *
 * <pre>{@code
 * static final StrictJson<RejectedException> JSON = StrictJson.refusing(MALFORMED_INSTRUCTION)
 *         .maxBytes(4096).notInteger((where, f) -> f + " is not an integer").build();
 * StrictJson<RejectedException>.Obj o = JSON.read(bytes, "instruction").fields(REQUIRED, OPTIONAL);
 * long counter = o.integer("counter");
 * }</pre>
 *
 * <p>Unknown fields are always refused: a format that takes more fields later names them
 * optional (see {@link Obj#fields}); a format that names only the fields it knows and checks
 * presence field by field itself uses {@link Obj#known}. The one option that weakens the reader,
 * {@link Builder#acceptDuplicateKeysAndTrailingContent}, keeps the syntax of the two files that
 * were always read that way (the update record and the OEM's policy file); no other format uses it.
 *
 * @param <X> what a refusal is thrown as ({@link RejectedException} for the product's formats)
 */
public final class StrictJson<X extends Exception> {
    /** What a refusal is about, for formats that answer each kind with a reason of its own. */
    public enum Problem {
        /** The input is over the size bound, before any parsing. */
        TOO_LARGE,
        /** Not one JSON value: syntax, a duplicate key, trailing content, a nesting/string/number bound. */
        NOT_JSON,
        /** A value that must be an object is not. */
        NOT_OBJECT,
        /** A field the format does not know. */
        UNKNOWN_FIELD,
        /** A field the format requires is absent. */
        MISSING_FIELD,
        /** A field of the wrong JSON type or out of its range. */
        WRONG_TYPE,
        /** The codec's own check of a value ({@link #refuse}). */
        INVALID
    }

    /** Makes the exception a refusal is thrown as. */
    @FunctionalInterface
    public interface Refusal<X extends Exception> {
        /**
         * @param problem what is wrong
         * @param field the field concerned, empty when none
         * @param detail the one-line message
         */
        X refuse(Problem problem, String field, String detail);
    }

    /** Phrases a refusal about a value labelled {@code where} (e.g. {@code instruction}, {@code release #3}). */
    @FunctionalInterface
    public interface WhereMessage {
        String say(String where);
    }

    /** Phrases a refusal about {@code field} of the object labelled {@code where}. */
    @FunctionalInterface
    public interface FieldMessage {
        String say(String where, String field);
    }

    /** Phrases a size refusal. */
    @FunctionalInterface
    public interface SizeMessage {
        String say(String where, long size, long max);
    }

    /** Phrases a refusal of input that is not JSON; {@link #firstLine} gives the parser's first line. */
    @FunctionalInterface
    public interface NotJsonMessage {
        String say(String where, IOException e);
    }

    /** Phrases missing fields: {@code missing} and {@code expected} sorted. */
    @FunctionalInterface
    public interface MissingMessage {
        String say(String where, SortedSet<String> missing, SortedSet<String> expected);
    }

    private final Refusal<X> refusal;
    private final long maxBytes;
    private final ObjectMapper mapper;
    private final Builder<X> m;

    private StrictJson(Builder<X> b) {
        this.refusal = b.refusal;
        this.maxBytes = b.maxBytes;
        this.m = b.copy();
        StreamReadConstraints.Builder limits = StreamReadConstraints.builder();
        if (b.maxNestingDepth > 0) {
            limits.maxNestingDepth(b.maxNestingDepth);
        }
        if (b.maxStringLength > 0) {
            limits.maxStringLength(b.maxStringLength);
        }
        if (b.maxNumberLength > 0) {
            limits.maxNumberLength(b.maxNumberLength);
        }
        this.mapper = JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(limits.build())
                        .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, !b.lenientSyntax)
                        .build())
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, !b.lenientSyntax)
                .build();
    }

    /** A reader whose refusals are {@code new RejectedException(reason, detail)}. */
    public static Builder<RejectedException> refusing(Reason reason) {
        return refusing(reason, "");
    }

    /** A reader whose refusals are {@code new RejectedException(reason, prefix + detail)}. */
    public static Builder<RejectedException> refusing(Reason reason, String prefix) {
        Objects.requireNonNull(reason, "reason");
        return new Builder<>((problem, field, detail) -> new RejectedException(reason, prefix + detail));
    }

    /** A reader whose refusals {@code refusal} makes (a checked exception of the codec's, a reason per problem). */
    public static <X extends Exception> Builder<X> builder(Refusal<X> refusal) {
        return new Builder<>(Objects.requireNonNull(refusal, "refusal"));
    }

    /** The first line of a parser's message ({@code unreadable} when it has none), for {@link NotJsonMessage}s. */
    public static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /**
     * {@code bytes} as one JSON value of any type (a missing value for empty input), refused over
     * the size bound before parsing and when not strictly one JSON value.
     *
     * @param where what the input is, for messages ({@code instruction})
     */
    public JsonNode tree(byte[] bytes, String where) throws X {
        if (maxBytes >= 0 && bytes.length > maxBytes) {
            throw refusal.refuse(Problem.TOO_LARGE, "", m.tooLarge.say(where, bytes.length, maxBytes));
        }
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            throw refusal.refuse(Problem.NOT_JSON, "", m.notJson.say(where, e));
        }
    }

    /** {@code bytes} as one JSON object ({@link #tree}, then refused when not an object). */
    public Obj read(byte[] bytes, String where) throws X {
        JsonNode root = tree(bytes, where);
        if (root == null || !root.isObject()) {
            throw refusal.refuse(Problem.NOT_OBJECT, "", m.rootNotObject.say(where));
        }
        return new Obj(root, where);
    }

    /** {@code node} (an element of a list, a nested value) as an object labelled {@code where}. */
    public Obj object(JsonNode node, String where) throws X {
        if (node == null || !node.isObject()) {
            throw refusal.refuse(Problem.NOT_OBJECT, "", m.notObject.say(where));
        }
        return new Obj(node, where);
    }

    /** A refusal of the codec's own ({@link Problem#INVALID}), thrown as this reader throws the others. */
    public X refuse(String detail) {
        return refusal.refuse(Problem.INVALID, "", detail);
    }

    /** A JSON object being read, with its label for messages. */
    public final class Obj {
        private final JsonNode node;
        private final String where;

        private Obj(JsonNode node, String where) {
            this.node = node;
            this.where = where;
        }

        /** The object itself, e.g. to check it is canonical. */
        public JsonNode node() {
            return node;
        }

        /** Its label in messages. */
        public String where() {
            return where;
        }

        /**
         * Refuses the first field (in document order) that is neither required nor optional, then
         * any required field absent (all of them named, sorted).
         */
        public Obj fields(Set<String> required, Set<String> optional) throws X {
            known(required, optional);
            SortedSet<String> missing = new TreeSet<>(required);
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                missing.remove(it.next());
            }
            if (!missing.isEmpty()) {
                throw refusal.refuse(Problem.MISSING_FIELD, missing.first(), m.missingFields.say(where,
                        Collections.unmodifiableSortedSet(missing), Collections.unmodifiableSortedSet(new TreeSet<>(required))));
            }
            return this;
        }

        /** Exactly {@code required}: {@link #fields} with no optional field. */
        public Obj fields(Set<String> required) throws X {
            return fields(required, Set.of());
        }

        /** Refuses the first field (in document order) in none of {@code known}; requires none. */
        @SafeVarargs
        public final Obj known(Set<String>... known) throws X {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                boolean ok = false;
                for (Set<String> k : known) {
                    ok |= k.contains(f);
                }
                if (!ok) {
                    throw refusal.refuse(Problem.UNKNOWN_FIELD, f, m.unknownField.say(where, f));
                }
            }
            return this;
        }

        public boolean has(String field) {
            return node.has(field);
        }

        /** The field's value as it is, null when absent. */
        public JsonNode get(String field) {
            return node.get(field);
        }

        /** A string field, refused when absent or not a string. */
        public String text(String field) throws X {
            JsonNode v = node.get(field);
            if (v == null || !v.isTextual()) {
                throw wrongType(field, m.notString);
            }
            return v.textValue();
        }

        /** An optional string field: empty when absent, refused when present and not a string. */
        public Optional<String> optionalText(String field) throws X {
            return node.has(field) ? Optional.of(text(field)) : Optional.empty();
        }

        /** An integer field that fits a long, refused when absent, not integral or too large. */
        public long integer(String field) throws X {
            JsonNode v = node.get(field);
            if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
                throw wrongType(field, m.notInteger);
            }
            return v.longValue();
        }

        /** An integer field in {@code min..max}, refused as {@link #integer} is otherwise. */
        public long integer(String field, long min, long max) throws X {
            long v = integer(field);
            if (v < min || v > max) {
                throw wrongType(field, m.notInteger);
            }
            return v;
        }

        /** A boolean field, refused when absent or not {@code true}/{@code false}. */
        public boolean bool(String field) throws X {
            JsonNode v = node.get(field);
            if (v == null || !v.isBoolean()) {
                throw wrongType(field, m.notBoolean);
            }
            return v.booleanValue();
        }

        /** A time field, ISO-8601 UTC ({@link Instant#parse}), refused when absent or not one. */
        public Instant time(String field) throws X {
            String s = text(field);
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw wrongType(field, m.notTime);
            }
        }

        /** A list field of at most {@code max} elements, refused when absent, not a list or longer. */
        public JsonNode array(String field, int max) throws X {
            JsonNode v = node.get(field);
            if (v == null || !v.isArray() || v.size() > max) {
                throw wrongType(field, m.notArray);
            }
            return v;
        }

        /** An object field, labelled {@code where} in what its own reading refuses. */
        public Obj object(String field, String where) throws X {
            JsonNode v = node.get(field);
            if (v == null || !v.isObject()) {
                throw wrongType(field, m.fieldNotObject);
            }
            return new Obj(v, where);
        }

        /** A refusal of the codec's own about {@code field} ({@link Problem#INVALID}). */
        public X refuse(String field, String detail) {
            return refusal.refuse(Problem.INVALID, field, detail);
        }

        private X wrongType(String field, FieldMessage message) {
            return refusal.refuse(Problem.WRONG_TYPE, field, message.say(where, field));
        }
    }

    /**
     * A reader's options: its bounds and how it phrases each refusal. The defaults are the
     * instruction's wording ({@code unknown field 'x'}, {@code 'x' is not a string}); no size
     * bound and Jackson's nesting, string and number bounds unless set.
     */
    public static final class Builder<X extends Exception> {
        private final Refusal<X> refusal;
        private long maxBytes = -1;
        private int maxNestingDepth;
        private int maxStringLength;
        private int maxNumberLength;
        private boolean lenientSyntax;
        private SizeMessage tooLarge = (where, size, max) -> where + " of " + size + " bytes exceeds " + max;
        private NotJsonMessage notJson = (where, e) -> where + " is not JSON";
        private WhereMessage rootNotObject = where -> where + " is not a JSON object";
        private WhereMessage notObject = where -> where + " is not an object";
        private FieldMessage unknownField = (where, f) -> "unknown field '" + f + "'";
        private MissingMessage missingFields = (where, missing, expected) -> "missing fields " + missing;
        private FieldMessage notString = (where, f) -> "'" + f + "' is not a string";
        private FieldMessage notInteger = (where, f) -> "'" + f + "' is not an integer";
        private FieldMessage notBoolean = (where, f) -> "'" + f + "' is not true or false";
        private FieldMessage notTime = (where, f) -> "'" + f + "' is not an ISO-8601 UTC time";
        private FieldMessage notArray = (where, f) -> "'" + f + "' is not a list";
        private FieldMessage fieldNotObject = (where, f) -> "'" + f + "' is not an object";

        private Builder(Refusal<X> refusal) {
            this.refusal = refusal;
        }

        private Builder<X> copy() {
            Builder<X> b = new Builder<>(refusal);
            b.tooLarge = tooLarge;
            b.notJson = notJson;
            b.rootNotObject = rootNotObject;
            b.notObject = notObject;
            b.unknownField = unknownField;
            b.missingFields = missingFields;
            b.notString = notString;
            b.notInteger = notInteger;
            b.notBoolean = notBoolean;
            b.notTime = notTime;
            b.notArray = notArray;
            b.fieldNotObject = fieldNotObject;
            return b;
        }

        /** Refuses input over {@code max} bytes before parsing it. */
        public Builder<X> maxBytes(long max) {
            this.maxBytes = max;
            return this;
        }

        /** Refuses objects and lists nested deeper than {@code depth}, as not JSON. */
        public Builder<X> maxNestingDepth(int depth) {
            this.maxNestingDepth = depth;
            return this;
        }

        /** Refuses a string longer than {@code chars}, as not JSON. */
        public Builder<X> maxStringLength(int chars) {
            this.maxStringLength = chars;
            return this;
        }

        /** Refuses a number of more than {@code digits} characters, as not JSON. */
        public Builder<X> maxNumberLength(int digits) {
            this.maxNumberLength = digits;
            return this;
        }

        /**
         * Accepts a duplicate key (the last one wins) and content after the value, as a plain
         * Jackson mapper does. Only for the update record and the OEM's policy file, which have
         * always been read so: refusing them there would refuse files accepted until now.
         */
        public Builder<X> acceptDuplicateKeysAndTrailingContent() {
            this.lenientSyntax = true;
            return this;
        }

        public Builder<X> tooLarge(SizeMessage message) {
            this.tooLarge = Objects.requireNonNull(message);
            return this;
        }

        public Builder<X> notJson(NotJsonMessage message) {
            this.notJson = Objects.requireNonNull(message);
            return this;
        }

        /** What {@link #read} says of a document that is not an object. */
        public Builder<X> rootNotObject(WhereMessage message) {
            this.rootNotObject = Objects.requireNonNull(message);
            return this;
        }

        /** What {@link StrictJson#object} says of a value that is not an object. */
        public Builder<X> notObject(WhereMessage message) {
            this.notObject = Objects.requireNonNull(message);
            return this;
        }

        public Builder<X> unknownField(FieldMessage message) {
            this.unknownField = Objects.requireNonNull(message);
            return this;
        }

        public Builder<X> missingFields(MissingMessage message) {
            this.missingFields = Objects.requireNonNull(message);
            return this;
        }

        public Builder<X> notString(FieldMessage message) {
            this.notString = Objects.requireNonNull(message);
            return this;
        }

        public Builder<X> notInteger(FieldMessage message) {
            this.notInteger = Objects.requireNonNull(message);
            return this;
        }

        public Builder<X> notBoolean(FieldMessage message) {
            this.notBoolean = Objects.requireNonNull(message);
            return this;
        }

        public Builder<X> notTime(FieldMessage message) {
            this.notTime = Objects.requireNonNull(message);
            return this;
        }

        public Builder<X> notArray(FieldMessage message) {
            this.notArray = Objects.requireNonNull(message);
            return this;
        }

        /** What {@link Obj#object} says of a field that is not an object. */
        public Builder<X> fieldNotObject(FieldMessage message) {
            this.fieldNotObject = Objects.requireNonNull(message);
            return this;
        }

        public StrictJson<X> build() {
            return new StrictJson<>(this);
        }
    }
}

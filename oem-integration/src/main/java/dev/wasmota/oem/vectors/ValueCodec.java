package dev.wasmota.oem.vectors;

import java.math.BigInteger;

/** Converts vector numbers to and from the long form Chicory passes values in, by WASM type. */
final class ValueCodec {
    private static final BigInteger I32_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger U32_MAX = BigInteger.valueOf(0xFFFF_FFFFL);

    private ValueCodec() {
    }

    /** The argument as Chicory takes it; throws IllegalArgumentException if it does not fit {@code type}. */
    static long toWasm(Number n, String type) {
        switch (type) {
            case "i32":
                BigInteger i = integer(n, type);
                if (i.compareTo(I32_MIN) < 0 || i.compareTo(U32_MAX) > 0) {
                    throw new IllegalArgumentException(i + " does not fit in i32");
                }
                return i.intValue();
            case "i64":
                return integer(n, type).longValue();
            case "f32":
                return Float.floatToRawIntBits(n.floatValue());
            case "f64":
                return Double.doubleToRawLongBits(n.doubleValue());
            default:
                throw new IllegalArgumentException("type " + type + " cannot be written in a vector file");
        }
    }

    static boolean matches(Number expected, long actual, String type) {
        switch (type) {
            case "f32":
                return Float.compare(expected.floatValue(), Float.intBitsToFloat((int) actual)) == 0;
            case "f64":
                return Double.compare(expected.doubleValue(), Double.longBitsToDouble(actual)) == 0;
            default:
                return toWasm(expected, type) == (type.equals("i32") ? (int) actual : actual);
        }
    }

    static String format(long v, String type) {
        switch (type) {
            case "i32":
                return Integer.toString((int) v);
            case "f32":
                return Float.toString(Float.intBitsToFloat((int) v));
            case "f64":
                return Double.toString(Double.longBitsToDouble(v));
            default:
                return Long.toString(v);
        }
    }

    private static BigInteger integer(Number n, String type) {
        if (n instanceof BigInteger b) {
            return b;
        }
        throw new IllegalArgumentException(n + " is not an integer, as " + type + " needs");
    }
}

package dev.wasmota.ecu;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How close a shadow's write must be to the active module's to agree: exactly equal by default;
 * per CAN signal id, within an absolute or a relative bound (either suffices). I2C writes agree
 * only when their bytes are equal.
 *
 * @param canSignals bounds by CAN id; a signal not listed must be equal
 */
public record ShadowTolerance(Map<Integer, Bound> canSignals) {
    /** Most signals with a bound of their own. */
    public static final int MAX_SIGNALS = 256;

    /**
     * A bound: {@code |active - shadow| <= absolute}, or {@code <= relative * |active|}.
     *
     * @param absolute at least 0
     * @param relative 0..1
     */
    public record Bound(long absolute, double relative) {
        public Bound {
            if (absolute < 0 || !(relative >= 0 && relative <= 1)) {
                throw new IllegalArgumentException("a tolerance needs absolute >= 0 and relative in 0..1, not "
                        + absolute + " and " + relative);
            }
        }

        @Override
        public String toString() {
            return (absolute > 0 ? "±" + absolute : "") + (absolute > 0 && relative > 0 ? " or " : "")
                    + (relative > 0 ? "±" + relative * 100 + " %" : "") + (absolute == 0 && relative == 0 ? "exact" : "");
        }
    }

    public ShadowTolerance {
        if (canSignals.size() > MAX_SIGNALS) {
            throw new IllegalArgumentException("at most " + MAX_SIGNALS + " signals may have a tolerance");
        }
        canSignals = Collections.unmodifiableMap(new TreeMap<>(canSignals));
    }

    /** Every write must be equal. */
    public static ShadowTolerance exact() {
        return new ShadowTolerance(Map.of());
    }

    /** This tolerance with {@code bound} for CAN signal {@code id}. */
    public ShadowTolerance with(int id, Bound bound) {
        Map<Integer, Bound> m = new TreeMap<>(canSignals);
        m.put(id, bound);
        return new ShadowTolerance(m);
    }

    /** Whether the shadow's {@code shadow} agrees with the active module's {@code active} on CAN signal {@code id}. */
    public boolean agrees(int id, long active, long shadow) {
        if (active == shadow) {
            return true;
        }
        Bound b = canSignals.get(id);
        if (b == null) {
            return false;
        }
        long diff;
        try {
            diff = Math.abs(Math.subtractExact(active, shadow));
        } catch (ArithmeticException overflow) {
            return false;
        }
        return diff <= b.absolute() || diff <= b.relative() * Math.abs((double) active);
    }

    @Override
    public String toString() {
        if (canSignals.isEmpty()) {
            return "exact";
        }
        StringBuilder s = new StringBuilder("exact, but");
        canSignals.forEach((id, b) -> s.append(" 0x").append(Integer.toHexString(id)).append(' ').append(b));
        return s.toString();
    }
}

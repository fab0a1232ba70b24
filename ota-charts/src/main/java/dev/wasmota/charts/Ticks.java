package dev.wasmota.charts;

/**
 * A "nice" axis from zero: a step of 1, 2, 2.5 or 5 times a power of ten and a top that is a
 * whole number of steps at or above the data's maximum, so tick labels read well.
 *
 * @param step distance between ticks, positive
 * @param top the axis maximum, a multiple of {@code step}, positive
 */
public record Ticks(double step, double top) {
    /** An axis covering {@code 0..max} in about {@code count} steps; integral steps when {@code integral}. */
    public static Ticks of(double max, int count, boolean integral) {
        double safeMax = Double.isFinite(max) && max > 0 ? max : 1;
        double step = niceCeil(safeMax / Math.max(1, count));
        if (integral) {
            step = Math.max(1, Math.ceil(step));
        }
        double top = Math.ceil(safeMax / step - 1e-9) * step;
        return new Ticks(step, Math.max(step, top));
    }

    /** The smallest value of the form {1, 2, 2.5, 5} × 10^k that is at least {@code v} (positive). */
    public static double niceCeil(double v) {
        double exp = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * exp >= v * (1 - 1e-9)) {
                return m * exp;
            }
        }
        return 10 * exp;
    }

    /** The index of the last tick at or below {@code top}. */
    public int count() {
        return (int) Math.floor(top / step + 1e-9);
    }

    public double at(int i) {
        return i * step;
    }
}

package dev.wasmota.sim;

/**
 * The vehicle speed a simulated car reports on CAN 0x120 (km/h × 100), a 20-second cycle: city
 * driving (stop and go, 0–45 km/h), a steady 55 km/h cruise, then highway (90–110 km/h). Each
 * vehicle starts at its own offset, so a fleet is spread over the cycle.
 */
public final class DriveCycle {
    public static final int SPEED_CAN_ID = 0x120;
    static final long CYCLE_MILLIS = 20_000;

    private DriveCycle() {
    }

    /** The speed at {@code millis} into the run for a vehicle with cycle offset {@code offsetMillis}. */
    public static long speed(long millis, long offsetMillis) {
        long t = Math.floorMod(millis + offsetMillis, CYCLE_MILLIS);
        if (t < 8_000) {
            double phase = t / 8_000.0 * 4 * Math.PI;
            return Math.round(2_250 + 2_250 * Math.sin(phase));
        }
        if (t < 14_000) {
            return 5_500;
        }
        return Math.round(10_000 + 1_000 * Math.sin((t - 14_000) / 6_000.0 * 2 * Math.PI));
    }
}

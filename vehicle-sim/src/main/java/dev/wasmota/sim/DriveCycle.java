package dev.wasmota.sim;

/**
 * The vehicle speed a simulated car reports on CAN 0x120 (km/h × 100), a 20-second cycle: stopped
 * at a light (1.5 s, speed 0: when an update with safe-execution preconditions may activate), city
 * driving (stop and go, 0–45 km/h), a steady 55 km/h cruise, then highway (90–110 km/h). Each
 * vehicle starts at its own offset, so a fleet is spread over the cycle. The supply voltage is a
 * steady {@value #SUPPLY_MILLIVOLTS} mV on {@value #VOLTAGE_CAN_ID}.
 */
public final class DriveCycle {
    public static final int SPEED_CAN_ID = 0x120;
    /** The supply voltage's CAN id, millivolts (the safe-execution preconditions read it). */
    public static final int VOLTAGE_CAN_ID = 0x3F0;
    public static final long SUPPLY_MILLIVOLTS = 12_600;
    static final long CYCLE_MILLIS = 20_000;
    static final long STOP_MILLIS = 1_500;

    private DriveCycle() {
    }

    /** The speed at {@code millis} into the run for a vehicle with cycle offset {@code offsetMillis}. */
    public static long speed(long millis, long offsetMillis) {
        long t = Math.floorMod(millis + offsetMillis, CYCLE_MILLIS);
        if (t < STOP_MILLIS) {
            return 0;
        }
        if (t < 8_000) {
            double phase = (t - STOP_MILLIS) / (8_000.0 - STOP_MILLIS) * 4 * Math.PI;
            return Math.round(2_250 + 2_250 * Math.sin(phase));
        }
        if (t < 14_000) {
            return 5_500;
        }
        return Math.round(10_000 + 1_000 * Math.sin((t - 14_000) / 6_000.0 * 2 * Math.PI));
    }
}

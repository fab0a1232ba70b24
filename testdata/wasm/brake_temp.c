/*
 * brake_temp.c: brake-disc temperature estimator, a realistic supplier function.
 *
 * Every 10 ms tick() reads the four wheel speeds (CAN 0x1A0..0x1A3, km/h x 100) and the
 * master-cylinder brake pressure (CAN 0x1B0, kPa), advances one thermal model per disc, and
 * writes each disc's estimate (millidegrees Celsius) to CAN 0x3A0..0x3A3.
 *
 * The model (all integer arithmetic, deterministic, no libc, no floating point):
 *   heating  = pressure * |speed| * dt / HEAT_DIVISOR            (friction power ~ p * v),
 *              rounded to nearest;
 *   cooling  = (T - ambient) * dt * (COOL_BASE + |speed| / COOL_SPEED_DIV) / 1e6
 *              (Newtonian, convection grows with speed), rounded away from zero so a disc
 *              always reaches ambient instead of stalling on truncation; never overshoots;
 *   T'       = clamp(T + heating - cooling, -40 C, 1200 C).
 * Rear discs see REAR_BIAS_PCT % of the pressure (brake proportioning).
 * Inputs are clamped: |speed| <= 500 km/h, 0 <= pressure <= 25 MPa, 0 <= dt <= 1000 ms.
 *
 * Exports: memory, init() -> 0 (logs once), tick(), estimate_step(temp_mC, speed_kph_x100,
 * pressure_kpa, dt_ms) -> temp_mC (pure), disc_temp(wheel 0..3 = FL, FR, RL, RR) -> temp_mC
 * (INT32_MIN for another wheel number).
 * Imports: ecu.log, ecu.can_read, ecu.can_write.
 * Capabilities: log,can.read:1A0-1A3,can.read:1B0,can.write:3A0-3A3
 * Expected host outcome: healthy.
 *
 * Build: clang --target=wasm32 -nostdlib -O2 -Wl,--no-entry (see build.sh).
 */

typedef int int32_t;
typedef unsigned int uint32_t;
typedef long long int64_t;

#define IMPORT(name) __attribute__((import_module("ecu"), import_name(name)))
#define EXPORT(name) __attribute__((export_name(name)))

IMPORT("log") void ecu_log(const char *ptr, int32_t len);
IMPORT("can_read") int32_t ecu_can_read(int32_t id, int64_t *out);
IMPORT("can_write") int32_t ecu_can_write(int32_t id, int64_t value);

#define WHEELS 4
#define PERIOD_MS 10

#define CAN_WHEEL_SPEED_FL 0x1A0 /* 0x1A0..0x1A3: FL, FR, RL, RR, km/h x 100 */
#define CAN_BRAKE_PRESSURE 0x1B0 /* kPa */
#define CAN_DISC_TEMP_FL 0x3A0   /* 0x3A0..0x3A3: FL, FR, RL, RR, millidegrees C */

#define AMBIENT_MC 25000
#define TEMP_MIN_MC (-40000)
#define TEMP_MAX_MC 1200000
#define MAX_SPEED 50000    /* 500 km/h */
#define MAX_PRESSURE 25000 /* 25 MPa */
#define MAX_DT_MS 1000
#define HEAT_DIVISOR 800000LL /* kPa * (km/h x 100) * ms per millidegree */
#define COOL_BASE_PPM 5       /* ppm of (T - ambient) per ms at standstill: tau = 200 s */
#define COOL_SPEED_DIV 1000   /* + 1 ppm/ms per 10 km/h: tau = 67 s at 100 km/h */
#define REAR_BIAS_PCT 60

#define INT32_MIN_ (-2147483647 - 1)

static int32_t disc_mC[WHEELS] = {AMBIENT_MC, AMBIENT_MC, AMBIENT_MC, AMBIENT_MC};
static int32_t wheel_speed[WHEELS];
static int32_t brake_pressure;
static int64_t can_value; /* can_read's out_ptr: lives in linear memory */
static uint32_t read_errors, write_errors;

static const char INIT_MSG[] = "brake_temp init: 4 discs at 25.000 C, period 10 ms";

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi) {
    return v < lo ? lo : (v > hi ? hi : v);
}

EXPORT("estimate_step")
int32_t estimate_step(int32_t temp_mC, int32_t speed_kph_x100, int32_t pressure_kpa,
                      int32_t dt_ms) {
    int64_t t = clamp64(temp_mC, TEMP_MIN_MC, TEMP_MAX_MC);
    int64_t v = speed_kph_x100;
    if (v < 0) v = -v; /* reversing heats the disc too; safe in 64 bits even for INT32_MIN */
    v = clamp64(v, 0, MAX_SPEED);
    int64_t p = clamp64(pressure_kpa, 0, MAX_PRESSURE);
    int64_t dt = clamp64(dt_ms, 0, MAX_DT_MS);

    int64_t heat = (p * v * dt + HEAT_DIVISOR / 2) / HEAT_DIVISOR;

    int64_t rate_ppm = COOL_BASE_PPM + v / COOL_SPEED_DIV;
    int64_t cool_num = (t - AMBIENT_MC) * dt * rate_ppm;
    int64_t cool = cool_num / 1000000; /* truncates toward zero */
    if (cool_num % 1000000 != 0) cool += cool_num > 0 ? 1 : -1;

    return (int32_t)clamp64(t + heat - cool, TEMP_MIN_MC, TEMP_MAX_MC);
}

EXPORT("disc_temp")
int32_t disc_temp(int32_t wheel) {
    if ((uint32_t)wheel >= WHEELS) return INT32_MIN_;
    return disc_mC[wheel];
}

EXPORT("init")
int32_t init(void) {
    for (int w = 0; w < WHEELS; w++) {
        disc_mC[w] = AMBIENT_MC;
        wheel_speed[w] = 0;
    }
    brake_pressure = 0;
    read_errors = write_errors = 0;
    ecu_log(INIT_MSG, sizeof INIT_MSG - 1);
    return 0;
}

/* Reads one signal, saturated to i32; keeps the last good value when the read fails. */
static void read_signal(int32_t id, int32_t *value) {
    if (ecu_can_read(id, &can_value) == 0) {
        *value = (int32_t)clamp64(can_value, INT32_MIN_, 2147483647);
    } else {
        read_errors++;
    }
}

EXPORT("tick")
void tick(void) {
    for (int w = 0; w < WHEELS; w++) read_signal(CAN_WHEEL_SPEED_FL + w, &wheel_speed[w]);
    read_signal(CAN_BRAKE_PRESSURE, &brake_pressure);

    for (int w = 0; w < WHEELS; w++) {
        int32_t p = w < 2 ? brake_pressure
                          : (int32_t)((int64_t)brake_pressure * REAR_BIAS_PCT / 100);
        disc_mC[w] = estimate_step(disc_mC[w], wheel_speed[w], p, PERIOD_MS);
        if (ecu_can_write(CAN_DISC_TEMP_FL + w, disc_mC[w]) < 0) write_errors++;
    }
}

/*
 * can_filter.c: a CAN signal filter, a supplier module in C on ecu.h.
 *
 * Every 10 ms tick() reads the vehicle speed (CAN 0x120, km/h x 100), rejects what cannot be
 * true, smooths the rest and writes the filtered speed to CAN 0x320 and its status to 0x321:
 *   - a sample outside 0..300 km/h, or a read that fails, counts as missing: the output holds
 *     its last value (status HELD) and after 10 missing ticks (100 ms) the signal is LOST;
 *   - a sample jumping more than 1 km/h from the output in one tick is a spike and is held off,
 *     unless 3 come in a row: then the filter follows the new level at once (re-sync), as it
 *     does for the first sample and the first one after a loss;
 *   - otherwise a first-order low-pass, y += (x - y) / 4, in 1/256 fixed point, rounded half
 *     away from zero.
 * It logs when the signal is lost and when it is back.
 *
 * Exports: init() -> 0, tick(), smooth(y_q8, sample) -> y_q8 (one low-pass step, pure),
 * filtered() -> km/h x 100, status() -> 0 VALID / 1 HELD / 2 LOST, rejected() -> samples
 * rejected so far. Capabilities: log,can.read:120,can.write:320-321.
 * Expected values in vectors.json come from vectors_ref.py, an independent Python model.
 */
#include "ecu.h"

#define CAN_SPEED 0x120
#define CAN_FILTERED 0x320
#define CAN_STATUS 0x321

#define SPEED_MAX 30000  /* 300 km/h */
#define MAX_STEP 100     /* 1 km/h per 10 ms tick */
#define LOST_TICKS 10    /* 100 ms without a usable sample */
#define RESYNC_SPIKES 3  /* spikes in a row that are taken as the new level */
#define ALPHA_Q8 64      /* 0.25 */

enum { VALID = 0, HELD = 1, LOST = 2 };

static int32_t y_q8;          /* filter state, km/h x 100 x 256 */
static int32_t have_value;    /* a sample has been taken since init or the last loss */
static int32_t missing;       /* ticks since the last usable sample */
static int32_t spike_run;     /* spikes in a row */
static int32_t rejected_total;
static int32_t lost_logged;
static int64_t can_value;     /* can_read's out pointer: lives in linear memory */

/* n / d rounded to nearest, halves away from zero (d > 0). */
static int64_t div_round(int64_t n, int64_t d) {
    return n >= 0 ? (n + d / 2) / d : -((-n + d / 2) / d);
}

ECU_EXPORT("smooth")
int32_t smooth(int32_t prev_q8, int32_t sample) {
    int64_t diff = ((int64_t)sample << 8) - prev_q8;
    return (int32_t)(prev_q8 + div_round(diff * ALPHA_Q8, 256));
}

ECU_EXPORT("filtered")
int32_t filtered(void) {
    return have_value ? (int32_t)div_round(y_q8, 256) : 0;
}

ECU_EXPORT("status")
int32_t status(void) {
    if (!have_value || missing >= LOST_TICKS) return LOST;
    return missing > 0 || spike_run > 0 ? HELD : VALID;
}

ECU_EXPORT("rejected")
int32_t rejected(void) {
    return rejected_total;
}

ECU_EXPORT("init")
int32_t init(void) {
    y_q8 = have_value = missing = spike_run = rejected_total = lost_logged = 0;
    ecu_log_str("can-filter init: speed 0x120 -> filtered 0x320, status 0x321");
    return 0;
}

static void take(int32_t sample) {
    int32_t out = filtered();
    int32_t step = sample > out ? sample - out : out - sample;
    int32_t resync = !have_value || missing >= LOST_TICKS;
    if (!resync && step > MAX_STEP && ++spike_run < RESYNC_SPIKES) {
        rejected_total++;
        return;
    }
    y_q8 = resync || spike_run >= RESYNC_SPIKES ? sample << 8 : smooth(y_q8, sample);
    have_value = 1;
    missing = spike_run = 0;
}

static void report(int32_t read_status) {
    int32_t lost = status() == LOST;
    if (lost && !lost_logged) {
        ecu_log_str(read_status < 0 ? "can-filter: speed 0x120 lost (no signal)"
                                    : "can-filter: speed 0x120 lost (implausible)");
    } else if (!lost && lost_logged) {
        ecu_log_str("can-filter: speed 0x120 back");
    }
    lost_logged = lost;
}

ECU_EXPORT("tick")
void tick(void) {
    int32_t r = ecu_can_read(CAN_SPEED, &can_value);
    if (r == ECU_OK && can_value >= 0 && can_value <= SPEED_MAX) {
        take((int32_t)can_value);
    } else {
        if (r == ECU_OK) rejected_total++;
        if (missing < LOST_TICKS) missing++;
    }
    report(r);
    /* A refused write is the bus's business: the next tick sends the value again. */
    (void)ecu_can_write(CAN_FILTERED, filtered());
    (void)ecu_can_write(CAN_STATUS, status());
}

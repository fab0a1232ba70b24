/*
 * @MODULE@: a wasmota supplier module in C (made by `ota supplier new`; docs/ABI.md).
 *
 * The host calls init() once after activation (0 = healthy) and tick() every period under
 * the manifest's deadline (package.args). Any other export can be called by the test vectors.
 * Host functions come from ecu.h; each needs the capability that grants it in package.args.
 */
#include "ecu.h"

static int32_t tick_count;

ECU_EXPORT("init")
int32_t init(void) {
    tick_count = 0;
    ecu_log_str("@MODULE@ init");
    return 0;
}

ECU_EXPORT("tick")
void tick(void) {
    tick_count++;
}

ECU_EXPORT("ticks")
int32_t ticks(void) {
    return tick_count;
}

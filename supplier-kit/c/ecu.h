/*
 * ecu.h: the wasmota host ABI for modules written in C (docs/ABI.md, ABI version below).
 *
 * A module imports these functions from module "ecu"; the vehicle links only those its
 * manifest's capabilities grant, and the packager refuses an import no capability covers. Every
 * pointer is an offset into the module's own memory; the host checks each range before it reads
 * or writes and returns a negative status (ECU_OUT_OF_BOUNDS) instead of trapping.
 *
 * Exports the host calls (see ECU_EXPORT):
 *   void tick(void)     every period; a trap or a call past the deadline is a fault;
 *   int32_t init(void)  optional, once after activation; 0 means healthy.
 *
 * Build (clang and lld 14 or later, no libc):
 *   clang --target=wasm32 -mcpu=mvp -nostdlib -O2 -Wl,--no-entry -Wl,-z,stack-size=8192 \
 *         -Wl,--initial-memory=65536 -Wl,--max-memory=65536 module.c -o module.wasm
 *
 * The part between the GENERATED markers follows from the host's own definition of the ABI;
 * a test fails the build when they differ.
 */
#ifndef WASMOTA_ECU_H
#define WASMOTA_ECU_H

#include <stdint.h>

/* Exports a function to the host under NAME (tick, init, or a function the test vectors call). */
#define ECU_EXPORT(name) __attribute__((export_name(name)))

/* BEGIN GENERATED from EcuAbi: do not edit (see supplier-kit/README.md) */
#define ECU_ABI_VERSION 1
#define ECU_OK 0
#define ECU_NOT_PERMITTED (-1) /* no capability grants this id, bus or address (ecu.log: over the rate) */
#define ECU_OUT_OF_BOUNDS (-2) /* a pointer or length falls outside the module's memory or the call's limit */
#define ECU_NO_SUCH_DEVICE (-3) /* no such CAN signal or I2C device (or register) */
#define ECU_BUS_ERROR (-4) /* the bus reported an error */

/* ecu.log (i32,i32)->(), granted by capability log. Writes one line to the module's log (rate-limited; lines over the rate are dropped). */
__attribute__((import_module("ecu"), import_name("log")))
void ecu_log(const void *ptr, int32_t len);

/* ecu.clock_us ()->(i64), granted by capability clock. The host's monotonic clock. */
__attribute__((import_module("ecu"), import_name("clock_us")))
int64_t ecu_clock_us(void);

/* ecu.can_read (i32,i32)->(i32), granted by capability can.read. Reads the latest value of a CAN signal. */
__attribute__((import_module("ecu"), import_name("can_read")))
int32_t ecu_can_read(int32_t id, int64_t *out_ptr);

/* ecu.can_write (i32,i64)->(i32), granted by capability can.write. Sends a value on a CAN signal. */
__attribute__((import_module("ecu"), import_name("can_write")))
int32_t ecu_can_write(int32_t id, int64_t value);

/* ecu.i2c_read (i32,i32,i32,i32,i32)->(i32), granted by capability i2c. Reads registers of an I2C device. */
__attribute__((import_module("ecu"), import_name("i2c_read")))
int32_t ecu_i2c_read(int32_t bus, int32_t addr, int32_t reg, void *buf, int32_t len);

/* ecu.i2c_write (i32,i32,i32,i32,i32)->(i32), granted by capability i2c. Writes registers of an I2C device. */
__attribute__((import_module("ecu"), import_name("i2c_write")))
int32_t ecu_i2c_write(int32_t bus, int32_t addr, int32_t reg, const void *buf, int32_t len);
/* END GENERATED */

/* Logs a NUL-terminated string (the host keeps the first 256 bytes of a line). */
static inline void ecu_log_str(const char *s) {
    int32_t n = 0;
    while (s[n] != '\0' && n < 256) {
        n++;
    }
    ecu_log(s, n);
}

#endif /* WASMOTA_ECU_H */

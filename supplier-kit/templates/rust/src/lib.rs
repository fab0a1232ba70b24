//! @MODULE@: a wasmota supplier module in Rust (made by `ota supplier new`; docs/ABI.md).
//!
//! The host calls `init()` once after activation (0 = healthy) and `tick()` every period under
//! the manifest's deadline (package.args). Any other export can be called by the test vectors.
//! Host functions come from the `ecu` crate; each needs the capability that grants it in
//! package.args. A panic aborts, which traps: the host counts it as the module's fault.

#![no_std]

use core::sync::atomic::{AtomicI32, Ordering};

static TICKS: AtomicI32 = AtomicI32::new(0);

#[no_mangle]
pub extern "C" fn init() -> i32 {
    TICKS.store(0, Ordering::Relaxed);
    ecu::log("@MODULE@ init");
    0
}

#[no_mangle]
pub extern "C" fn tick() {
    TICKS.fetch_add(1, Ordering::Relaxed);
}

#[no_mangle]
pub extern "C" fn ticks() -> i32 {
    TICKS.load(Ordering::Relaxed)
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

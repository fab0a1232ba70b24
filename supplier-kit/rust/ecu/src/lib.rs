//! The wasmota host ABI for modules written in Rust (docs/ABI.md): safe wrappers over import
//! module `ecu` that return `Result`s, with the host's status codes as [`Error`].
//!
//! `no_std`, no allocator, no dependencies. The vehicle links only the functions the module's
//! capabilities grant, and the packager refuses an import no capability covers, so call only
//! what the manifest asks for. The raw declarations in [`abi`] follow from the host's own
//! definition of the ABI; a test fails the build when they differ.
//!
//! Build a module (Debian's rustc 1.63 with `libstd-rust-dev-wasm32`; see the examples):
//!
//! ```text
//! rustc --edition 2021 --target wasm32-unknown-unknown --crate-type rlib -O -C panic=abort ecu/src/lib.rs
//! rustc --edition 2021 --target wasm32-unknown-unknown --crate-type cdylib -O -C panic=abort \
//!       -C linker=wasm-ld --extern ecu=libecu.rlib src/lib.rs
//! ```
//!
//! Exports the host calls: `tick()` every period (a panic, which aborts and traps, or a call past
//! the deadline is a fault) and optionally `init() -> i32` once after activation, 0 meaning
//! healthy. Export them with `#[no_mangle] pub extern "C" fn tick()`.

#![no_std]

pub mod abi;

pub use abi::{Error, ABI_VERSION};

/// What a host call returns: its value, or the status it failed with.
pub type Result<T> = core::result::Result<T, Error>;

/// Writes one line to the module's log (the host keeps its first 256 bytes; lines over the
/// host's rate are dropped and counted). Needs capability `log`.
pub fn log(line: &str) {
    log_bytes(line.as_bytes());
}

/// [`log`] for bytes that should be UTF-8 (the host replaces what is not).
pub fn log_bytes(line: &[u8]) {
    // SAFETY: the host reads exactly [ptr, ptr + len) of this module's memory, which `line` is.
    unsafe { abi::log(line.as_ptr(), clamp_len(line.len())) }
}

/// The host's monotonic clock in microseconds; it never goes backwards. Needs capability `clock`.
pub fn clock_us() -> i64 {
    // SAFETY: no arguments; the host only returns a number.
    unsafe { abi::clock_us() }
}

/// The latest value of CAN signal `id`. Needs capability `can.read` covering `id`.
///
/// Errors: [`Error::NotPermitted`] outside the capability, [`Error::NoSuchDevice`] when the
/// signal has no value yet, [`Error::BusError`].
pub fn can_read(id: u32) -> Result<i64> {
    let mut value: i64 = 0;
    // SAFETY: the host writes 8 bytes at the pointer, which is `value`.
    status(unsafe { abi::can_read(id as i32, &mut value) }).map(|_| value)
}

/// Sends `value` on CAN signal `id`. Needs capability `can.write` covering `id`.
pub fn can_write(id: u32, value: i64) -> Result<()> {
    // SAFETY: numbers only.
    status(unsafe { abi::can_write(id as i32, value) }).map(|_| ())
}

/// Reads `buf.len()` registers of I2C device `addr` on `bus`, from register `reg` on; returns
/// the number of bytes read. Needs capability `i2c:BUS:ADDR`.
pub fn i2c_read(bus: u8, addr: u8, reg: u8, buf: &mut [u8]) -> Result<usize> {
    // SAFETY: the host writes at most len bytes at the pointer, which is `buf`.
    count(unsafe { abi::i2c_read(bus as i32, addr as i32, reg as i32, buf.as_mut_ptr(), clamp_len(buf.len())) })
}

/// Writes `buf` to the registers of I2C device `addr` on `bus` from register `reg` on; returns
/// the number of bytes written. Needs capability `i2c:BUS:ADDR`.
pub fn i2c_write(bus: u8, addr: u8, reg: u8, buf: &[u8]) -> Result<usize> {
    // SAFETY: the host reads exactly len bytes at the pointer, which is `buf`.
    count(unsafe { abi::i2c_write(bus as i32, addr as i32, reg as i32, buf.as_ptr(), clamp_len(buf.len())) })
}

fn status(code: i32) -> Result<i32> {
    if code >= 0 {
        Ok(code)
    } else {
        Err(Error::from_code(code))
    }
}

fn count(code: i32) -> Result<usize> {
    status(code).map(|n| n as usize)
}

/// A length the host sees as the slice's, or as out of bounds when it does not fit an i32.
fn clamp_len(len: usize) -> i32 {
    if len > i32::MAX as usize {
        -1
    } else {
        len as i32
    }
}

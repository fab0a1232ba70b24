// GENERATED from EcuAbi: do not edit (see supplier-kit/README.md).
//! The raw host ABI: import module `ecu` and its status codes. Use the safe wrappers in the crate root.

/// The host ABI version these declarations follow (docs/ABI.md).
pub const ABI_VERSION: u32 = 1;

/// A negative status a host function returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// No capability grants this id, bus or address (ecu.log: over the rate) (-1).
    NotPermitted,
    /// A pointer or length falls outside the module's memory or the call's limit (-2).
    OutOfBounds,
    /// No such CAN signal or I2C device (or register) (-3).
    NoSuchDevice,
    /// The bus reported an error (-4).
    BusError,
    /// A status this ABI version does not name.
    Other(i32),
}

impl Error {
    /// The error a negative status code stands for.
    pub const fn from_code(code: i32) -> Error {
        match code {
            -1 => Error::NotPermitted,
            -2 => Error::OutOfBounds,
            -3 => Error::NoSuchDevice,
            -4 => Error::BusError,
            other => Error::Other(other),
        }
    }

    /// The status code.
    pub const fn code(self) -> i32 {
        match self {
            Error::NotPermitted => -1,
            Error::OutOfBounds => -2,
            Error::NoSuchDevice => -3,
            Error::BusError => -4,
            Error::Other(code) => code,
        }
    }
}

#[link(wasm_import_module = "ecu")]
extern "C" {
    /// `ecu.log (i32,i32)->()`, granted by capability `log`. Writes one line to the module's log (rate-limited; lines over the rate are dropped).
    pub fn log(ptr: *const u8, len: i32);
    /// `ecu.clock_us ()->(i64)`, granted by capability `clock`. The host's monotonic clock.
    pub fn clock_us() -> i64;
    /// `ecu.can_read (i32,i32)->(i32)`, granted by capability `can.read`. Reads the latest value of a CAN signal.
    pub fn can_read(id: i32, out_ptr: *mut i64) -> i32;
    /// `ecu.can_write (i32,i64)->(i32)`, granted by capability `can.write`. Sends a value on a CAN signal.
    pub fn can_write(id: i32, value: i64) -> i32;
    /// `ecu.i2c_read (i32,i32,i32,i32,i32)->(i32)`, granted by capability `i2c`. Reads registers of an I2C device.
    pub fn i2c_read(bus: i32, addr: i32, reg: i32, buf: *mut u8, len: i32) -> i32;
    /// `ecu.i2c_write (i32,i32,i32,i32,i32)->(i32)`, granted by capability `i2c`. Writes registers of an I2C device.
    pub fn i2c_write(bus: i32, addr: i32, reg: i32, buf: *const u8, len: i32) -> i32;
}

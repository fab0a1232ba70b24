//! brake-temp: brake-disc temperature estimator, a supplier module in Rust on the `ecu` crate.
//!
//! Every 10 ms `tick()` reads the four wheel speeds (CAN 0x1A0..0x1A3, km/h x 100) and the
//! master-cylinder brake pressure (CAN 0x1B0, kPa), advances one thermal model per disc and
//! writes each disc's estimate (millidegrees Celsius) to CAN 0x3A0..0x3A3. A signal that cannot
//! be read keeps its last value; the module logs when its inputs are lost and when they return.
//!
//! The model (integer arithmetic only, deterministic; the same as testdata/wasm/brake_temp.c,
//! whose independent Python reference wrote the vectors):
//!   heating = pressure * |speed| * dt / HEAT_DIVISOR, rounded to nearest;
//!   cooling = (T - ambient) * dt * (COOL_BASE + |speed| / COOL_SPEED_DIV) / 1e6, rounded away
//!             from zero so a disc always reaches ambient; T' = clamp(T + heating - cooling).
//! Rear discs see 60 % of the pressure. Inputs are clamped to plausible ranges.
//!
//! Exports: `init() -> 0`, `tick()`, `estimate_step(temp_mc, speed_kph_x100, pressure_kpa,
//! dt_ms) -> temp_mc`, `disc_temp(wheel) -> temp_mc` (i32::MIN for a wheel outside 0..3),
//! `read_errors() -> i32`. Capabilities: `log,can.read:1A0-1A3,can.read:1B0,can.write:3A0-3A3`.

#![no_std]

use core::fmt::Write;

const WHEELS: usize = 4;
const PERIOD_MS: i32 = 10;
const CAN_WHEEL_SPEED_FL: u32 = 0x1A0;
const CAN_BRAKE_PRESSURE: u32 = 0x1B0;
const CAN_DISC_TEMP_FL: u32 = 0x3A0;

const AMBIENT_MC: i64 = 25_000;
const TEMP_MIN_MC: i64 = -40_000;
const TEMP_MAX_MC: i64 = 1_200_000;
const MAX_SPEED: i64 = 50_000;
const MAX_PRESSURE: i64 = 25_000;
const MAX_DT_MS: i64 = 1_000;
const HEAT_DIVISOR: i64 = 800_000;
const COOL_BASE_PPM: i64 = 5;
const COOL_SPEED_DIV: i64 = 1_000;
const REAR_BIAS_PCT: i64 = 60;

/// The module's state. WebAssembly modules run single-threaded: the host calls one export at a
/// time on one instance, so the one mutable static is never aliased.
struct State {
    disc_mc: [i32; WHEELS],
    wheel_speed: [i32; WHEELS],
    brake_pressure: i32,
    read_errors: i32,
    inputs_lost: bool,
}

static mut STATE: State = State {
    disc_mc: [AMBIENT_MC as i32; WHEELS],
    wheel_speed: [0; WHEELS],
    brake_pressure: 0,
    read_errors: 0,
    inputs_lost: false,
};

fn state() -> &'static mut State {
    // SAFETY: single-threaded, and no caller keeps the reference across another call of this.
    unsafe { &mut STATE }
}

fn clamp(v: i64, lo: i64, hi: i64) -> i64 {
    v.max(lo).min(hi)
}

#[no_mangle]
pub extern "C" fn estimate_step(temp_mc: i32, speed_kph_x100: i32, pressure_kpa: i32, dt_ms: i32) -> i32 {
    let t = clamp(temp_mc as i64, TEMP_MIN_MC, TEMP_MAX_MC);
    let v = clamp((speed_kph_x100 as i64).abs(), 0, MAX_SPEED);
    let p = clamp(pressure_kpa as i64, 0, MAX_PRESSURE);
    let dt = clamp(dt_ms as i64, 0, MAX_DT_MS);

    let heat = (p * v * dt + HEAT_DIVISOR / 2) / HEAT_DIVISOR;
    let rate_ppm = COOL_BASE_PPM + v / COOL_SPEED_DIV;
    let cool_num = (t - AMBIENT_MC) * dt * rate_ppm;
    let mut cool = cool_num / 1_000_000; // truncates toward zero, as C does
    if cool_num % 1_000_000 != 0 {
        cool += if cool_num > 0 { 1 } else { -1 };
    }
    clamp(t + heat - cool, TEMP_MIN_MC, TEMP_MAX_MC) as i32
}

#[no_mangle]
pub extern "C" fn disc_temp(wheel: i32) -> i32 {
    match usize::try_from(wheel) {
        Ok(w) if w < WHEELS => state().disc_mc[w],
        _ => i32::MIN,
    }
}

#[no_mangle]
pub extern "C" fn read_errors() -> i32 {
    state().read_errors
}

#[no_mangle]
pub extern "C" fn init() -> i32 {
    let s = state();
    s.disc_mc = [AMBIENT_MC as i32; WHEELS];
    s.wheel_speed = [0; WHEELS];
    s.brake_pressure = 0;
    s.read_errors = 0;
    s.inputs_lost = false;
    ecu::log("brake-temp (rust) init: 4 discs at 25.000 C, period 10 ms");
    0
}

#[no_mangle]
pub extern "C" fn tick() {
    let s = state();
    let mut first_error = None;
    for w in 0..WHEELS {
        read_signal(CAN_WHEEL_SPEED_FL + w as u32, &mut s.wheel_speed[w], &mut s.read_errors, &mut first_error);
    }
    read_signal(CAN_BRAKE_PRESSURE, &mut s.brake_pressure, &mut s.read_errors, &mut first_error);
    report_inputs(s, first_error);

    for w in 0..WHEELS {
        let front = w < 2;
        let p = if front { s.brake_pressure } else { (s.brake_pressure as i64 * REAR_BIAS_PCT / 100) as i32 };
        s.disc_mc[w] = estimate_step(s.disc_mc[w], s.wheel_speed[w], p, PERIOD_MS);
        // A refused write is the bus's business; the estimate goes on and is sent next tick.
        let _ = ecu::can_write(CAN_DISC_TEMP_FL + w as u32, s.disc_mc[w] as i64);
    }
}

/// Reads one signal, saturated to i32; keeps the last good value when the read fails.
fn read_signal(id: u32, value: &mut i32, errors: &mut i32, first_error: &mut Option<(u32, ecu::Error)>) {
    match ecu::can_read(id) {
        Ok(v) => *value = clamp(v, i32::MIN as i64, i32::MAX as i64) as i32,
        Err(e) => {
            *errors = errors.saturating_add(1);
            first_error.get_or_insert((id, e));
        }
    }
}

/// Logs once when the inputs are lost (naming the first signal and why) and once when they return.
fn report_inputs(s: &mut State, first_error: Option<(u32, ecu::Error)>) {
    let lost = first_error.is_some();
    if lost == s.inputs_lost {
        return;
    }
    s.inputs_lost = lost;
    let mut line = Line::new();
    let _ = match first_error {
        Some((id, e)) => write!(line, "brake-temp: CAN 0x{:x} unreadable ({:?}, status {}); holding last values", id, e, e.code()),
        None => write!(line, "brake-temp: all inputs readable again"),
    };
    ecu::log_bytes(line.as_bytes());
}

/// A log line formatted without an allocator; what does not fit is cut.
struct Line {
    buf: [u8; 128],
    len: usize,
}

impl Line {
    fn new() -> Line {
        Line { buf: [0; 128], len: 0 }
    }

    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl Write for Line {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let n = s.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

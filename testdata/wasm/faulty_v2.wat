;; faulty_v2.wat: healthy v2 with a latent bug that shows only under sustained load (version 2).
;;
;; init()  logs "faulty v2 init" and returns 0 (healthy).
;; tick()  like healthy v2 (reads CAN 0x120, writes 3x+1 to CAN 0x220), but counts consecutive
;;         ticks with 5000 <= x < 6000 (a steady 50-60 km/h cruise, speed x100); from the third
;;         such tick on it executes `unreachable` (the bug: a filter state that overflows when
;;         the input holds steady in that band).
;; Random inputs (the OEM intake's soak: fresh values every tick) almost never hold in the band
;; for three ticks, so the module passes intake; a vehicle cruising at 55 km/h traps every tick.
;; Extra exports: version() -> 2, scale(x: i64) -> x*3+1, ticks(), streak() -> current band streak.
;;
;; Capabilities: log,clock,can.read:120,can.write:220
;; Expected host outcome: installs; under a steady cruise every tick traps -> automatic rollback.
(module
  (import "ecu" "log"       (func $log       (param i32 i32)))
  (import "ecu" "clock_us"  (func $clock_us  (result i64)))
  (import "ecu" "can_read"  (func $can_read  (param i32 i32) (result i32)))
  (import "ecu" "can_write" (func $can_write (param i32 i64) (result i32)))

  (memory (export "memory") 1 1)

  (global $CAN_BUF i32 (i32.const 0))
  (data (i32.const 16) "faulty v2 init")

  (global $ticks   (mut i32) (i32.const 0))
  (global $streak  (mut i32) (i32.const 0))
  (global $last_us (mut i64) (i64.const 0))

  (func $scale (export "scale") (param $x i64) (result i64)
    (i64.add (i64.mul (local.get $x) (i64.const 3)) (i64.const 1)))

  (func (export "version") (result i32) (i32.const 2))

  (func (export "ticks") (result i32) (global.get $ticks))

  (func (export "streak") (result i32) (global.get $streak))

  (func (export "init") (result i32)
    (call $log (i32.const 16) (i32.const 14))
    (i32.const 0))

  (func (export "tick")
    (local $x i64)
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))
    (global.set $last_us (call $clock_us))
    (if (i32.eqz (call $can_read (i32.const 0x120) (global.get $CAN_BUF)))
      (then
        (local.set $x (i64.load (global.get $CAN_BUF)))
        (if (i32.and (i64.ge_s (local.get $x) (i64.const 5000)) (i64.lt_s (local.get $x) (i64.const 6000)))
          (then (global.set $streak (i32.add (global.get $streak) (i32.const 1))))
          (else (global.set $streak (i32.const 0))))
        (if (i32.ge_u (global.get $streak) (i32.const 3))
          (then unreachable))
        (drop (call $can_write (i32.const 0x220) (call $scale (local.get $x)))))
      (else (global.set $streak (i32.const 0))))))

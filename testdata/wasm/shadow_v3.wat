;; shadow_v3.wat: healthy v1's behaviour with a change at highway speed (version 3), for shadow runs.
;;
;; init()  logs "shadow v3 init" and returns 0 (healthy).
;; tick()  reads CAN 0x120 (vehicle speed, km/h x100) and writes a request to CAN 0x220: 2x, as
;;         healthy v1 does, up to 100 km/h; above it the request is capped at 20000 (the change
;;         under test). In the city and on a steady cruise it agrees with v1 on every tick; on the
;;         highway it disagrees on 0x220 only.
;; Extra exports: version() -> 3, scale(x: i64) -> 2x capped at 20000 above x = 10000, ticks().
;;
;; Capabilities: log,clock,can.read:120,can.write:220
;; Expected host outcome: healthy; as a shadow of healthy v1 it disagrees above 100 km/h.
(module
  (import "ecu" "log"       (func $log       (param i32 i32)))
  (import "ecu" "clock_us"  (func $clock_us  (result i64)))
  (import "ecu" "can_read"  (func $can_read  (param i32 i32) (result i32)))
  (import "ecu" "can_write" (func $can_write (param i32 i64) (result i32)))

  (memory (export "memory") 1 1)

  (global $CAN_BUF i32 (i32.const 0))
  (data (i32.const 16) "shadow v3 init")

  (global $ticks   (mut i32) (i32.const 0))
  (global $last_us (mut i64) (i64.const 0))

  (func $scale (export "scale") (param $x i64) (result i64)
    (if (result i64) (i64.gt_s (local.get $x) (i64.const 10000))
      (then (i64.const 20000))
      (else (i64.mul (local.get $x) (i64.const 2)))))

  (func (export "version") (result i32) (i32.const 3))

  (func (export "ticks") (result i32) (global.get $ticks))

  (func (export "init") (result i32)
    (call $log (i32.const 16) (i32.const 14))
    (i32.const 0))

  (func (export "tick")
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))
    (global.set $last_us (call $clock_us))
    (if (i32.eqz (call $can_read (i32.const 0x120) (global.get $CAN_BUF)))
      (then
        (drop (call $can_write (i32.const 0x220) (call $scale (i64.load (global.get $CAN_BUF)))))))))

;; shadow_v3_fixed.wat: version 3 again, its highway cap removed (v3'), for shadow runs.
;;
;; init()  logs "shadow v3' init" and returns 0 (healthy).
;; tick()  reads CAN 0x120 and writes 2x to CAN 0x220 at every speed, computed as x << 1 (other
;;         code than healthy v1's multiplication, the same result): as a shadow of healthy v1 it
;;         agrees on every tick.
;; Extra exports: version() -> 3, scale(x: i64) -> x << 1, ticks().
;;
;; Capabilities: log,clock,can.read:120,can.write:220
;; Expected host outcome: healthy; as a shadow of healthy v1 it agrees.
(module
  (import "ecu" "log"       (func $log       (param i32 i32)))
  (import "ecu" "clock_us"  (func $clock_us  (result i64)))
  (import "ecu" "can_read"  (func $can_read  (param i32 i32) (result i32)))
  (import "ecu" "can_write" (func $can_write (param i32 i64) (result i32)))

  (memory (export "memory") 1 1)

  (global $CAN_BUF i32 (i32.const 0))
  (data (i32.const 16) "shadow v3' init")

  (global $ticks   (mut i32) (i32.const 0))
  (global $last_us (mut i64) (i64.const 0))

  (func $scale (export "scale") (param $x i64) (result i64)
    (i64.shl (local.get $x) (i64.const 1)))

  (func (export "version") (result i32) (i32.const 3))

  (func (export "ticks") (result i32) (global.get $ticks))

  (func (export "init") (result i32)
    (call $log (i32.const 16) (i32.const 15))
    (i32.const 0))

  (func (export "tick")
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))
    (global.set $last_us (call $clock_us))
    (if (i32.eqz (call $can_read (i32.const 0x120) (global.get $CAN_BUF)))
      (then
        (drop (call $can_write (i32.const 0x220) (call $scale (i64.load (global.get $CAN_BUF)))))))))

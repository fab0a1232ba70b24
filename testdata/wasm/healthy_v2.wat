;; healthy_v2.wat: a well-behaved supplier module using the host ABI (version 2).
;;
;; init()  logs "healthy v2 init" and returns 0 (healthy).
;; tick()  reads CAN 0x120 (i64) into memory, triples it and adds 1, writes the result to
;;         CAN 0x220, records clock_us() and counts ticks.
;; Extra exports: version() -> 2, scale(x: i64) -> x*3+1 (pure), ticks() -> tick count,
;;                last_us() -> i64 clock_us() seen by the last tick.
;;
;; Capabilities: log,clock,can.read:120,can.write:220
;; Expected host outcome: healthy (installs, init returns 0, every tick returns normally).
(module
  (import "ecu" "log"       (func $log       (param i32 i32)))
  (import "ecu" "clock_us"  (func $clock_us  (result i64)))
  (import "ecu" "can_read"  (func $can_read  (param i32 i32) (result i32)))
  (import "ecu" "can_write" (func $can_write (param i32 i64) (result i32)))

  (memory (export "memory") 1 1)

  ;; 0x00..0x07: CAN read buffer (i64); 0x10: init message
  (global $CAN_BUF i32 (i32.const 0))
  (data (i32.const 16) "healthy v2 init")

  (global $ticks   (mut i32) (i32.const 0))
  (global $last_us (mut i64) (i64.const 0))
  (global $errors  (mut i32) (i32.const 0))

  (func $scale (export "scale") (param $x i64) (result i64)
    (i64.add (i64.mul (local.get $x) (i64.const 3)) (i64.const 1)))

  (func (export "version") (result i32) (i32.const 2))

  (func (export "ticks") (result i32) (global.get $ticks))

  (func (export "last_us") (result i64) (global.get $last_us))

  (func (export "init") (result i32)
    (call $log (i32.const 16) (i32.const 15))
    (i32.const 0))

  (func (export "tick")
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))
    (global.set $last_us (call $clock_us))
    (if (i32.eqz (call $can_read (i32.const 0x120) (global.get $CAN_BUF)))
      (then
        (if (i32.lt_s
              (call $can_write (i32.const 0x220)
                (call $scale (i64.load (global.get $CAN_BUF))))
              (i32.const 0))
          (then (global.set $errors (i32.add (global.get $errors) (i32.const 1))))))
      (else
        ;; signal missing: count it, stay healthy
        (global.set $errors (i32.add (global.get $errors) (i32.const 1)))))))

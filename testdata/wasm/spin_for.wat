;; spin_for.wat: a tick that computes for a set share of its budget by the clock.
;;
;; tick() reads CAN signal 0x100 (microseconds, 0 when unset) and loops calling ecu.clock_us
;; until that long has passed since it started, counting its rounds in memory. So a tick takes
;; exactly that long by the wall clock, and never more CPU time than that, however loaded the
;; machine is. init() returns 0.
;; Capabilities: clock, can.read:100
;; Expected host outcome: healthy while the signal is under the deadline; a test sets it to 80 %
;; of the deadline to check such a module is never stopped before its deadline nor blamed.
(module
  (import "ecu" "clock_us" (func $clock_us (result i64)))
  (import "ecu" "can_read" (func $can_read (param i32 i32) (result i32)))
  (memory (export "memory") 1 1)

  (func (export "init") (result i32) (i32.const 0))

  (func (export "tick")
    (local $until i64)
    (if (i32.eqz (call $can_read (i32.const 0x100) (i32.const 16)))
      (then
        (local.set $until (i64.add (call $clock_us) (i64.load (i32.const 16))))
        (block $done
          (loop $spin
            (br_if $done (i64.ge_s (call $clock_us) (local.get $until)))
            (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
            (br $spin)))))))

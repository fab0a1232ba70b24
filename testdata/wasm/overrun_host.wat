;; overrun_host.wat: tick() never returns, and spends its time in a host function.
;;
;; tick() loops forever calling ecu.clock_us and storing the time: most of each iteration is
;; spent in the host, and the loop's back-edge is a br_if on a mutable global (always 1), so no
;; compiler can fold it. The interrupt checks run on the call and on the back-edge.
;; Capabilities: clock
;; Expected host outcome: init healthy; every tick is stopped at its deadline and counted as a
;; deadline miss (issue 16: "a loop calling a host function").
(module
  (import "ecu" "clock_us" (func $clock_us (result i64)))
  (memory (export "memory") 1 1)
  (global $spin (mut i32) (i32.const 1))

  (func (export "init") (result i32) (i32.const 0))

  (func (export "tick")
    (loop $forever
      (i64.store (i32.const 0) (call $clock_us))
      (br_if $forever (global.get $spin))))

  (func (export "stop") (global.set $spin (i32.const 0))))

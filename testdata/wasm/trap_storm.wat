;; trap_storm.wat: traps on every 5th tick.
;;
;; init() returns 0. tick() increments a counter and executes `unreachable` when the counter
;; is a multiple of 5 (ticks 5, 10, 15, ...); the other ticks are normal. count() returns
;; the counter (note: a host that rebuilds the instance after a trap resets it to 0).
;; No imports.
;; Capabilities: (none)
;; Expected host outcome: installs healthy (init 0, first 4 ticks fine); at run time 20% of
;; ticks trap (fault kind: trap, unreachable); the sliding-window fault threshold makes the
;; host roll back to the previous slot.
(module
  (memory (export "memory") 1 1)
  (global $count (mut i32) (i32.const 0))

  (func (export "init") (result i32) (i32.const 0))

  (func (export "count") (result i32) (global.get $count))

  (func (export "tick")
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (if (i32.eqz (i32.rem_u (global.get $count) (i32.const 5)))
      (then (unreachable)))))

;; busy.wat: a module that computes for as long as it is asked to.
;;
;; work(n) runs n rounds of a 32-bit xorshift and returns the state: a fixed amount of CPU work
;; per round, which no compiler can skip (the result depends on every round). tick() runs
;; work(v) where v is CAN signal 0x100 (0 rounds when unset), so a test sets how long a tick
;; computes. init() returns 0.
;; Capabilities: can.read:100
;; Expected host outcome: healthy; tests calibrate n against the CPU time of the calls to
;; check that a module computing for 80 % of its budget is never interrupted and not blamed,
;; and that intake judges the same module alike on an idle and a loaded machine.
(module
  (import "ecu" "can_read" (func $can_read (param i32 i32) (result i32)))
  (memory (export "memory") 1 1)

  (func $work (export "work") (param $n i32) (result i32)
    (local $x i32)
    (local.set $x (i32.const 2463534242))
    (block $done
      (loop $round
        (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
        (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
        (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
        (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $round)))
    (local.get $x))

  (func (export "init") (result i32) (i32.const 0))

  (func (export "tick")
    (if (i32.eqz (call $can_read (i32.const 0x100) (i32.const 16)))
      (then (i32.store (i32.const 0) (call $work (i32.wrap_i64 (i64.load (i32.const 16)))))))))

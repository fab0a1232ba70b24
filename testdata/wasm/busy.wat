;; busy.wat: a module that computes for as long as it is asked to.
;;
;; work(n) runs n rounds of a 32-bit xorshift and returns the state: a fixed amount of CPU work
;; per round, which no compiler can skip (the result depends on every round). tick() runs 1,000
;; rounds. init() returns 0. No imports.
;; Capabilities: (none)
;; Expected host outcome: healthy; intake tests call work(n) from test vectors with n calibrated
;; against the CPU time it takes on the machine running them, to show that intake judges the
;; same module alike on an idle machine and beside busy threads (a module whose work needs 20 %
;; of its deadline accepted, one needing 80 % refused, both times).
(module
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
    (i32.store (i32.const 0) (call $work (i32.const 1000)))))

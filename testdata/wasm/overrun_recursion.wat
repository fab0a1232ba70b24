;; overrun_recursion.wat: tick() recurses for ever without overflowing the stack.
;;
;; $tree(d) calls $tree(d-1) twice (d > 0): 2^d calls at a depth of only d. tick() calls
;; $tree(40) (about 10^12 calls, hours), so the call stack stays shallow (41 frames) and no
;; stack overflow ends it: only the deadline can. There is no loop, no backward branch: the
;; interrupt checks run on the calls alone. The leaves count in memory, so the calls do work.
;; Capabilities: (none)
;; Expected host outcome: init healthy; every tick is stopped at its deadline and counted as a
;; deadline miss (issue 16: "deep recursion").
(module
  (memory (export "memory") 1 1)

  (func $tree (param $d i32)
    (if (i32.eqz (local.get $d))
      (then (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1))))
      (else
        (call $tree (i32.sub (local.get $d) (i32.const 1)))
        (call $tree (i32.sub (local.get $d) (i32.const 1))))))

  (func (export "init") (result i32) (i32.const 0))

  (func (export "tick") (call $tree (i32.const 40)))

  (func (export "leaves") (result i32) (i32.load (i32.const 0))))

;; recursion.wat: tick() recurses without bound.
;;
;; $down(n) calls $down(n+1) and then adds n to the result, so the call is not in tail
;; position and cannot become a loop; it exhausts the stack (JVM StackOverflowError in
;; Chicory, surfaced as a trap / call stack exhausted). init() returns 0. No imports.
;; Capabilities: (none)
;; Expected host outcome: init healthy; every tick faults (fault kind: stack overflow);
;; intake with a tick vector rejects it, exit 5.
(module
  (memory (export "memory") 1 1)

  (func $down (param $n i32) (result i32)
    (local $r i32)
    (local.set $r (call $down (i32.add (local.get $n) (i32.const 1))))
    (i32.add (local.get $r) (local.get $n)))

  (func (export "init") (result i32) (i32.const 0))

  (func (export "tick")
    (drop (call $down (i32.const 0)))))

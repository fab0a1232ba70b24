;; runaway.wat: tick() never returns.
;;
;; tick() spins in a loop whose back-edge is a br_if on a mutable global that is always 1 at
;; run time, so no compiler can prove the loop infinite or fold it away. The loop also counts
;; its iterations in memory so it does real work. Chicory's compiler checks for thread
;; interruption on every backward branch, so a host deadline can stop it; the interpreter
;; would not (it checks only calls and br).
;; init() returns 0. No imports.
;; Capabilities: (none)
;; Expected host outcome: installs (init is fine) unless trial activation runs tick; every
;; tick is a deadline miss (interrupted, instance discarded); intake (oem integrate) with a
;; tick vector rejects it, exit 5.
(module
  (memory (export "memory") 1 1)
  (global $spin (mut i32) (i32.const 1))

  (func (export "init") (result i32) (i32.const 0))

  (func (export "tick")
    (loop $forever
      (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
      (br_if $forever (global.get $spin))))

  ;; never called by the host; exists so $spin is observably mutable
  (func (export "stop") (global.set $spin (i32.const 0))))

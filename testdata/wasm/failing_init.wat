;; failing_init.wat: a module whose health check fails.
;;
;; init() returns 1 (unhealthy); tick() is harmless (counts calls). No imports.
;; Capabilities: (none)
;; Expected host outcome: install trial-activates it, the health check fails, the host rolls
;; back to the previous slot (module misbehaved, exit 5); intake with an init vector
;; expecting 0 rejects it, exit 5.
(module
  (memory (export "memory") 1 1)
  (global $ticks (mut i32) (i32.const 0))

  (func (export "init") (result i32) (i32.const 1))

  (func (export "tick")
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))))

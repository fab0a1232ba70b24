;; empty.wat: the smallest module the host will run; used for call-overhead benchmarks.
;;
;; init() returns 0; tick() does nothing. No imports.
;; Capabilities: (none)
;; Expected host outcome: healthy.
(module
  (memory (export "memory") 1 1)
  (func (export "init") (result i32) (i32.const 0))
  (func (export "tick")))

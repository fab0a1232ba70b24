;; oob_load.wat: tick() reads far outside linear memory.
;;
;; tick() does i32.load at address 0xFFFFFFF0; memory is 1 page, so this traps
;; ("out of bounds memory access"). init() returns 0. No imports.
;; Capabilities: (none)
;; Expected host outcome: init healthy; every tick traps (fault kind: trap, out-of-bounds
;; memory access); intake with a tick vector rejects it, exit 5.
(module
  (memory (export "memory") 1 1)

  (func (export "init") (result i32) (i32.const 0))

  (func (export "tick")
    (drop (i32.load (i32.const 0xFFFFFFF0)))))

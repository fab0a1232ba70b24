;; init_spin.wat: init() never returns.
;;
;; init() spins in a loop (br_if back-edge on a mutable global, always 1); tick() returns at
;; once. The health check is the module's first call at intake and at install.
;; Capabilities: (none)
;; Expected host outcome: the health check is stopped at its budget (max(deadline, 1 s)):
;; intake refuses it (exit 5), install refuses it (exit 5) and the active slot is unchanged
;; (issue 16: "init()").
(module
  (memory (export "memory") 1 1)
  (global $spin (mut i32) (i32.const 1))

  (func (export "init") (result i32)
    (loop $forever
      (br_if $forever (global.get $spin)))
    (i32.const 0))

  (func (export "tick")))

;; init_wrong_type.wat: init returns i64; the host calls init as () -> i32 (0 = healthy).
;;
;; Capabilities: (none)
;; Expected host outcome: refused at install (EXPORT_MISMATCH, exit 4), naming init's type.
(module
  (memory (export "memory") 1 1)
  (func (export "init") (result i64) (i64.const 0))
  (func (export "tick")))

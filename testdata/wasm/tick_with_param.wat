;; tick_with_param.wat: tick has the wrong type, (i32) -> (); the host calls tick as () -> ().
;;
;; Capabilities: (none)
;; Expected host outcome: refused at install (EXPORT_MISMATCH, exit 4), naming tick's type.
(module
  (memory (export "memory") 1 1)
  (func (export "init") (result i32) (i32.const 0))
  (func (export "tick") (param i32)))

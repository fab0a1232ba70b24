;; no_tick.wat: a module the host cannot schedule: it exports init and a function "step", but no tick.
;;
;; The honest packager and the OEM's intake refuse it (EXPORT_MISMATCH); a package of it countersigned
;; past them must be refused by the vehicle too, before anything is committed.
;; Capabilities: (none)
;; Expected host outcome: refused at install (EXPORT_MISMATCH, exit 4); never committed.
(module
  (memory (export "memory") 1 1)
  (func (export "init") (result i32) (i32.const 0))
  (func (export "step")))

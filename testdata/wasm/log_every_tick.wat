;; log_every_tick.wat: writes one log line ("tick") on every tick, and one from init.
;;
;; At a 10 ms period that is 100 lines a second, five times the host's rate limit (20 a second,
;; bursts of 20): the host keeps 20 a second and drops and counts the rest.
;; Capabilities: log
;; Expected host outcome: healthy; its lines visible in the module log, about 80 % of them dropped
;; and counted (ecu run's log_drop column, the ecu.module.log.dropped meter).
(module
  (import "ecu" "log" (func $log (param i32 i32)))
  (memory (export "memory") 1 1)
  (data (i32.const 0) "tick")
  (data (i32.const 16) "log_every_tick init")
  (func (export "init") (result i32)
    (call $log (i32.const 16) (i32.const 19))
    (i32.const 0))
  (func (export "tick")
    (call $log (i32.const 0) (i32.const 4))))

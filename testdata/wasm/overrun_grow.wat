;; overrun_grow.wat: tick() calls memory.grow for ever.
;;
;; Memory starts at 1 page with no declared maximum; tick() asks for one more page in a loop
;; that never ends: the grows succeed up to the host's cap, then return -1, and the loop goes
;; on (a br_if back-edge on a mutable global, always 1). pages() is memory.size.
;; Capabilities: (none)
;; Expected host outcome: init healthy; memory held at the host's cap (grow returns -1); every
;; tick is stopped at its deadline and counted as a deadline miss (issue 16: "a memory.grow loop").
(module
  (memory (export "memory") 1)
  (global $spin (mut i32) (i32.const 1))

  (func (export "init") (result i32) (i32.const 0))

  (func (export "tick")
    (loop $forever
      (drop (memory.grow (i32.const 1)))
      (br_if $forever (global.get $spin))))

  (func (export "pages") (result i32) (memory.size)))

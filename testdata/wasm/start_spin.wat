;; start_spin.wat: a WebAssembly start function that never returns.
;;
;; The start function runs when an instance is built, before any export can be called and
;; outside any call the host times. $spin loops for ever (br_if back-edge on a mutable global).
;; Capabilities: (none)
;; Expected host outcome: refused before anything of it runs: at packaging, at intake and at
;; install (INVALID_WASM, exit 4: "has a start function"); the host never builds an instance with
;; its start function run (issue 16: "a WASM start function").
(module
  (memory (export "memory") 1 1)
  (global $forever (mut i32) (i32.const 1))

  (func $spin
    (loop $again
      (br_if $again (global.get $forever))))
  (start $spin)

  (func (export "init") (result i32) (i32.const 0))

  (func (export "tick")))

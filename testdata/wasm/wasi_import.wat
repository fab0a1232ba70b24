;; wasi_import.wat: imports WASI, which no capability grants.
;;
;; Imports wasi_snapshot_preview1.fd_write and calls it from tick() to print "hello from wasi\n"
;; on fd 1. init() returns 0.
;; Capabilities it would need: none exists (the host offers only the "ecu" module).
;; Expected host outcome: refused at packaging / intake / install as an import outside the
;; host ABI (policy, exit 4). It never runs.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))

  (memory (export "memory") 1 1)
  ;; iovec at 0: { buf = 16, len = 16 }; nwritten at 8; text at 16
  (data (i32.const 0) "\10\00\00\00\10\00\00\00")
  (data (i32.const 16) "hello from wasi\n")

  (func (export "init") (result i32) (i32.const 0))

  (func (export "tick")
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))

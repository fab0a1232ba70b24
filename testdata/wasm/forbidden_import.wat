;; forbidden_import.wat: imports an I2C write it is not meant to be granted.
;;
;; Imports ecu.i2c_write and ecu.log; tick() writes 4 bytes to bus 1, address 0x50,
;; register 0 (the bytes "ECU!" at offset 0). init() logs and returns 0.
;; Packaged with capabilities that do not include i2c (e.g. "log").
;; Capabilities it would need: log,i2c:1:50
;; Expected host outcome: refused at packaging ("supplier package" refuses imports the LIST
;; does not cover, exit 4); a package that claims i2c beyond the supplier certificate is
;; refused at intake / verify / install (policy, exit 4). It never runs.
(module
  (import "ecu" "i2c_write" (func $i2c_write (param i32 i32 i32 i32 i32) (result i32)))
  (import "ecu" "log"       (func $log       (param i32 i32)))

  (memory (export "memory") 1 1)
  (data (i32.const 0) "ECU!")
  (data (i32.const 16) "forbidden_import init")

  (func (export "init") (result i32)
    (call $log (i32.const 16) (i32.const 21))
    (i32.const 0))

  (func (export "tick")
    ;; bus 1, addr 0x50, reg 0, buf 0, len 4
    (drop (call $i2c_write (i32.const 1) (i32.const 0x50) (i32.const 0)
                           (i32.const 0) (i32.const 4)))))

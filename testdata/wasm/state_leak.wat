;; state_leak.wat: one export per kind of instance state, to show that every instance starts from
;; the module as signed, whatever an earlier instance of the same compiled module did.
;;
;; tick() grows table $t (0 entries, no maximum) by one and traps once it holds 4: on a fresh
;; instance every 4th tick traps, and the rebuilt instance starts again at 0. (Chicory 1.7.5's
;; TableInstance.grow raises the parsed module's shared table minimum, so a host that builds
;; instances from one parsed module without copying the tables traps on ticks 4, 5, 6, ...)
;; The other exports change or read one kind of state each:
;;   table_size / grow_table     table $t's size; grow it by one (-1 when refused)
;;   fill_table(n) / copy_table(n)  table.fill / table.copy of $t's first n entries (trap past its size)
;;   memory_pages / grow_memory  memory.size; memory.grow 1 (memory is 1 page, maximum 4)
;;   bump_global                 adds one to a mutable global and returns it
;;   drop_data / read_data       data.drop of the passive segment; memory.init of its one byte (42)
;;                               into memory[0] and its value (traps once the segment was dropped)
;;   drop_elem / call_elem       elem.drop of the passive element segment; table.init of its one
;;                               function into table $u and a call_indirect of it, returning 42
;;                               (traps once the segment was dropped)
;;   trap                        unreachable, so the host rebuilds the instance
;; No imports.
;; Capabilities: (none)
;; Expected host outcome: installs; its table needs room to grow (package it with
;; --table-elements 8 or more, else every grow returns -1 and it never traps); at run time one
;; tick in four traps.
(module
  (type $ret_i32 (func (result i32)))
  (memory (export "memory") 1 4)
  (table $t 0 funcref)
  (table $u 1 funcref)
  (global $count (mut i32) (i32.const 0))
  (data $d "\2a")
  (elem $e func $forty_two)

  (func $forty_two (type $ret_i32) (i32.const 42))

  (func (export "init") (result i32) (i32.const 0))

  (func (export "tick")
    (drop (table.grow $t (ref.null func) (i32.const 1)))
    (if (i32.ge_u (table.size $t) (i32.const 4))
      (then (unreachable))))

  (func (export "table_size") (result i32) (table.size $t))

  (func (export "grow_table") (result i32) (table.grow $t (ref.null func) (i32.const 1)))

  (func (export "fill_table") (param $n i32)
    (table.fill $t (i32.const 0) (ref.null func) (local.get $n)))

  (func (export "copy_table") (param $n i32)
    (table.copy $t $t (i32.const 0) (i32.const 0) (local.get $n)))

  (func (export "memory_pages") (result i32) (memory.size))

  (func (export "grow_memory") (result i32) (memory.grow (i32.const 1)))

  (func (export "bump_global") (result i32)
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (global.get $count))

  (func (export "drop_data") (data.drop $d))

  (func (export "read_data") (result i32)
    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1))
    (i32.load8_u (i32.const 0)))

  (func (export "drop_elem") (elem.drop $e))

  (func (export "call_elem") (result i32)
    (table.init $u $e (i32.const 0) (i32.const 0) (i32.const 1))
    (call_indirect $u (type $ret_i32) (i32.const 0)))

  (func (export "trap") (unreachable)))

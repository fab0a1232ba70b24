;; table_bomb_declared.wat: ten funcref tables of 10,000,000 entries each, declared up front.
;;
;; Nothing runs: instantiating it allocates the tables (about 80 MB of references per table in
;; Chicory 1.7.5, 800 MB in all). init() returns 0, tick() does nothing, size() is table 9's size.
;; No imports.
;; Capabilities: (none)
;; Expected host outcome: refused before any instantiation (packaging, intake, install) because it
;; declares 100,000,000 table elements, above any cap the host accepts (RESOURCE_LIMIT, exit 4).
(module
  (memory (export "memory") 1 1)
  (table $t0 10000000 funcref)
  (table $t1 10000000 funcref)
  (table $t2 10000000 funcref)
  (table $t3 10000000 funcref)
  (table $t4 10000000 funcref)
  (table $t5 10000000 funcref)
  (table $t6 10000000 funcref)
  (table $t7 10000000 funcref)
  (table $t8 10000000 funcref)
  (table $t9 10000000 funcref)

  (func (export "init") (result i32) (i32.const 0))

  (func (export "size") (result i32) (table.size $t9))

  (func (export "tick")))

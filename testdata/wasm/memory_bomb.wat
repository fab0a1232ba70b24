;; memory_bomb.wat: tick() grows memory until the host refuses.
;;
;; Memory is declared with 1 initial page and NO maximum. tick() repeats memory.grow 16
;; (1 MiB) until it returns -1, then returns normally. pages() reports memory.size.
;; Without a host cap this would try to reach 65536 pages (4 GiB).
;; init() returns 0. No imports.
;; Capabilities: (none)
;; Expected host outcome: the host caps memory at the package's --memory-pages (min of that and
;; the declaration); memory.grow past the cap returns -1 and tick returns normally, so the module
;; stays healthy with pages() = the largest 1 + 16k <= cap (cap 64 -> 49; checked in Chicory
;; 1.7.5 with MemoryLimits(1, 64)). A host that does not cap it runs out of heap (fault kind:
;; memory limit).
(module
  (memory (export "memory") 1)

  (func (export "init") (result i32) (i32.const 0))

  (func (export "pages") (result i32) (memory.size))

  (func (export "tick")
    (loop $grow
      (br_if $grow
        (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))))

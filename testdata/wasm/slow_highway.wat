;; slow_highway.wat: healthy v1's outputs, slower on the highway (version 2): a call-time regression only.
;;
;; init()  logs "slow highway init" and returns 0 (healthy).
;; tick()  reads CAN 0x120 (speed, km/h x100) and writes 2x to CAN 0x220, exactly as healthy v1 (as a
;;         shadow it agrees on every tick); but from the 60th consecutive tick at 90 km/h or more
;;         (0.6 s on the highway) it also runs 150,000 steps of a walk over its memory (about 0.8 ms)
;;         before returning (a filter gone quadratic at speed): well within a 2 ms deadline, yet many
;;         times the intake's worst call. The intake's soak draws fresh random inputs every tick, about
;;         three in four at 90 km/h or more: it held three in a row often enough that its worst call
;;         was this slow path (640-730 us measured), and the gate's 150 % of it let the p99 on the
;;         road pass about one run in three. Sixty in a row it does not hold (0.75^60, about 3e-8 a
;;         tick), so its timing is v1's; on the road the p99 call time regresses.
;; Extra exports: version() -> 2, scale(x: i64) -> 2x, ticks(), streak().
;;
;; Capabilities: log,clock,can.read:120,can.write:220
;; Expected host outcome: healthy, no fault; a campaign gated on runtime health stops on its p99.
(module
  (import "ecu" "log"       (func $log       (param i32 i32)))
  (import "ecu" "clock_us"  (func $clock_us  (result i64)))
  (import "ecu" "can_read"  (func $can_read  (param i32 i32) (result i32)))
  (import "ecu" "can_write" (func $can_write (param i32 i64) (result i32)))

  (memory (export "memory") 1 1)

  (global $CAN_BUF i32 (i32.const 0))
  (data (i32.const 16) "slow highway init")

  (global $ticks  (mut i32) (i32.const 0))
  (global $streak (mut i32) (i32.const 0))
  (global $spin   (mut i32) (i32.const 150000))
  (global $sink   (mut i64) (i64.const 0))

  (func $scale (export "scale") (param $x i64) (result i64)
    (i64.mul (local.get $x) (i64.const 2)))

  (func (export "version") (result i32) (i32.const 2))

  (func (export "ticks") (result i32) (global.get $ticks))

  (func (export "streak") (result i32) (global.get $streak))

  (func (export "init") (result i32)
    (call $log (i32.const 16) (i32.const 17))
    (i32.const 0))

  ;; a linear-congruential walk over 4 KiB of memory: stores the JIT cannot drop, about 2-3 ns each
  (func $spin_for (param $n i32)
    (local $i i32)
    (local $addr i32)
    (local $v i64)
    (local.set $addr (i32.const 64))
    (loop $again
      (local.set $v (i64.add (i64.mul (i64.load (local.get $addr)) (i64.const 6364136223846793005))
                             (i64.extend_i32_u (local.get $i))))
      (i64.store (local.get $addr) (local.get $v))
      (local.set $addr (i32.add (i32.const 64) (i32.and (i32.wrap_i64 (local.get $v)) (i32.const 4088))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (local.get $n))))
    (global.set $sink (i64.load (local.get $addr))))

  (func (export "tick")
    (local $x i64)
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))
    (drop (call $clock_us))
    (if (i32.eqz (call $can_read (i32.const 0x120) (global.get $CAN_BUF)))
      (then
        (local.set $x (i64.load (global.get $CAN_BUF)))
        (drop (call $can_write (i32.const 0x220) (call $scale (local.get $x))))
        (if (i64.ge_s (local.get $x) (i64.const 9000))
          (then (global.set $streak (i32.add (global.get $streak) (i32.const 1))))
          (else (global.set $streak (i32.const 0))))
        (if (i32.ge_u (global.get $streak) (i32.const 60))
          (then (call $spin_for (global.get $spin))))))))

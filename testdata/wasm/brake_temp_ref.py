#!/usr/bin/env python3
"""Independent Python reference for brake_temp.c; writes brake_temp.vectors.json.

It reimplements the thermal model from its description (Python integers, explicit
truncating/rounding rules, no shared code with the C), simulates init and the ticks the
vectors drive, and records the expected values. build.sh runs it before compiling.

Usage: brake_temp_ref.py [OUT_DIR]   (default: the directory of this script)
"""
import json
import os
import sys

AMBIENT, T_MIN, T_MAX = 25_000, -40_000, 1_200_000
V_MAX, P_MAX, DT_MAX = 50_000, 25_000, 1_000
HEAT_DIVISOR, COOL_BASE_PPM, COOL_SPEED_DIV = 800_000, 5, 1_000
REAR_BIAS_PCT, PERIOD_MS, INT32_MIN = 60, 10, -(2**31)


def clamp(v, lo, hi):
    return max(lo, min(hi, v))


def div_trunc(a, b):
    """C integer division (toward zero); Python's // floors."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def estimate_step(temp, speed, pressure, dt):
    t = clamp(temp, T_MIN, T_MAX)
    v = clamp(abs(speed), 0, V_MAX)
    p = clamp(pressure, 0, P_MAX)
    dt = clamp(dt, 0, DT_MAX)
    heat = (p * v * dt + HEAT_DIVISOR // 2) // HEAT_DIVISOR   # non-negative: round half up
    num = (t - AMBIENT) * dt * (COOL_BASE_PPM + v // COOL_SPEED_DIV)
    cool = div_trunc(num, 1_000_000)
    if cool * 1_000_000 != num:                              # round away from zero
        cool += 1 if num > 0 else -1
    return clamp(t + heat - cool, T_MIN, T_MAX)


class Ecu:
    """What brake_temp does with its state across init() and tick()."""

    def __init__(self):
        self.init()

    def init(self):
        self.disc = [AMBIENT] * 4
        self.speed = [0] * 4
        self.pressure = 0
        return 0

    def tick(self, can):
        sat = lambda x: clamp(x, INT32_MIN, 2**31 - 1)
        for w in range(4):
            if 0x1A0 + w in can:
                self.speed[w] = sat(can[0x1A0 + w])
        if 0x1B0 in can:
            self.pressure = sat(can[0x1B0])
        for w in range(4):
            p = self.pressure if w < 2 else div_trunc(self.pressure * REAR_BIAS_PCT, 100)
            self.disc[w] = estimate_step(self.disc[w], self.speed[w], p, PERIOD_MS)


STEP_CASES = [
    (25_000, 0, 0, 10),            # at ambient, parked: unchanged
    (400_000, 0, 0, 10),           # hot disc cooling at standstill
    (25_000, 10_000, 8_000, 10),   # 80 bar at 100 km/h
    (300_000, 13_000, 0, 10),      # highway cooling at 130 km/h
    (-10_000, 0, 0, 10),           # cold disc warming toward ambient
    (26_000, 0, 0, 10),            # near ambient: rounding away from zero still cools
    (25_001, 0, 0, 10),            # one millidegree above ambient: reaches it, no overshoot
    (150_000, -2_500, 3_000, 10),  # reversing: |speed|
    (25_000, 20_000, 15_000, 1_000),           # long step
    (25_000, INT32_MIN, 1_000, 10),            # speed saturates at 500 km/h
    (500_000, 10_000, -5_000, 10),             # negative pressure counts as none
    (2_000_000, 0, 0, 10),                     # above the range: clamped first
    (1_199_990, 50_000, 25_000, 10),           # saturates at 1200 C
    (-100_000, 0, 0, 10),                      # below the range: clamped first
    (100_000, 10_000, 5_000, 5_000),           # dt clamped to 1000 ms
    (100_000, 10_000, 5_000, -10),             # negative dt: no change
]


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    cases = [{"export": "estimate_step", "args": list(a), "expect": [estimate_step(*a)]}
             for a in STEP_CASES]

    ecu = Ecu()
    cases.append({"export": "init", "args": [], "expect": [ecu.init()]})
    for w in range(4):
        cases.append({"export": "disc_temp", "args": [w], "expect": [ecu.disc[w]]})
    cases.append({"export": "disc_temp", "args": [4], "expect": [INT32_MIN]})

    def ticks(n, can):
        for _ in range(n):
            ecu.tick(can)
        cases.append({"export": "tick", "args": [], "repeat": n,
                      "can": {f"0x{k:03X}": v for k, v in can.items()}})
        for w in range(4):
            cases.append({"export": "disc_temp", "args": [w], "expect": [ecu.disc[w]]})

    # 1 s of a 60 bar downhill drag at 80 km/h (the right front wheel a little faster),
    # then 1 s rolling at 80 km/h with the brake released.
    ticks(100, {0x1A0: 8_000, 0x1A1: 8_100, 0x1A2: 8_000, 0x1A3: 8_000, 0x1B0: 6_000})
    ticks(100, {0x1A0: 8_000, 0x1A1: 8_100, 0x1A2: 8_000, 0x1A3: 8_000, 0x1B0: 0})

    with open(os.path.join(out_dir, "brake_temp.vectors.json"), "w") as f:
        f.write("[\n" + ",\n".join("  " + json.dumps(c) for c in cases) + "\n]\n")
    print(f"brake_temp_ref.py: brake_temp.vectors.json ({len(cases)} cases)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""vectors_ref.py: an independent model of can_filter.c in Python integers; writes vectors.json.

The cases run in order on one instance (the test-vector format of docs/ABI.md); "can" values
stay set on the simulated bus until changed, and CAN 0x120 is unset until the first case that
sets it (the host then answers can_read with -3, no such signal).
"""
import json
import os

SPEED_MAX, MAX_STEP, LOST_TICKS, RESYNC_SPIKES, ALPHA_Q8 = 30000, 100, 10, 3, 64
VALID, HELD, LOST = 0, 1, 2


def div_round(n, d):
    """n / d to nearest, halves away from zero."""
    q = (abs(n) + d // 2) // d
    return q if n >= 0 else -q


def smooth(prev_q8, sample):
    return prev_q8 + div_round(((sample << 8) - prev_q8) * ALPHA_Q8, 256)


class Filter:
    def __init__(self):
        self.init()

    def init(self):
        self.y = self.have = self.missing = self.spikes = self.rejected = 0
        return 0

    def filtered(self):
        return div_round(self.y, 256) if self.have else 0

    def status(self):
        if not self.have or self.missing >= LOST_TICKS:
            return LOST
        return HELD if self.missing or self.spikes else VALID

    def tick(self, speed):
        if speed is not None and 0 <= speed <= SPEED_MAX:
            resync = not self.have or self.missing >= LOST_TICKS
            if not resync and abs(speed - self.filtered()) > MAX_STEP:
                self.spikes += 1
                if self.spikes < RESYNC_SPIKES:
                    self.rejected += 1
                    return
            take_level = resync or self.spikes >= RESYNC_SPIKES
            self.y = speed << 8 if take_level else smooth(self.y, speed)
            self.have, self.missing, self.spikes = 1, 0, 0
        else:
            if speed is not None:
                self.rejected += 1
            self.missing = min(self.missing + 1, LOST_TICKS)


def main():
    f, bus, cases = Filter(), {}, []

    def case(export, args=(), expect=None, repeat=1, can=None):
        c = {"export": export, "args": list(args)}
        if can:
            bus.update(can)
            c["can"] = {hex(k): v for k, v in can.items()}
        if repeat > 1:
            c["repeat"] = repeat
        for _ in range(repeat):
            value = {"init": f.init, "filtered": f.filtered, "status": f.status,
                     "rejected": lambda: f.rejected}.get(export)
            if export == "tick":
                f.tick(bus.get(0x120))
            elif export == "smooth":
                value = lambda: smooth(*args)
            got = value() if value else None
        if expect is not None or got is not None:
            c["expect"] = [got]
        cases.append(c)

    for y, x in [(0, 0), (0, 1000), (256000, 1000), (256000, 1001), (256000, 999), (1280000, 0), (7680000, 30000),
                 (-1, 0), (12345, 6789)]:
        case("smooth", (y, x))
    case("init")
    case("status")
    case("tick")                                           # no signal yet: can_read answers -3
    case("status")
    case("filtered")
    case("tick", can={0x120: 5000})                        # first sample: taken as the level
    case("filtered"), case("status")
    case("tick", repeat=3, can={0x120: 5080})               # smoothed towards 50.8 km/h
    case("filtered"), case("status")
    case("tick", repeat=20)
    case("filtered")
    case("tick", can={0x120: 9000})                        # a spike: held off
    case("filtered"), case("status"), case("rejected")
    case("tick", repeat=2)                                 # three in a row: the new level
    case("filtered"), case("status"), case("rejected")
    case("tick", repeat=5, can={0x120: 40000})             # implausible: held
    case("filtered"), case("status"), case("rejected")
    case("tick", repeat=5)                                 # ten missing: lost
    case("status")
    case("tick", can={0x120: 6000})                        # back: re-sync
    case("filtered"), case("status")
    case("tick", repeat=2, can={0x120: 6080})
    case("filtered")
    case("tick", repeat=50)
    case("filtered"), case("status"), case("rejected")
    case("tick", can={0x120: -5})                          # negative: implausible
    case("status"), case("rejected")

    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json")
    with open(out, "w") as fh:
        fh.write("[\n" + ",\n".join("  " + json.dumps(c) for c in cases) + "\n]\n")
    print("vectors_ref.py: %d cases -> %s" % (len(cases), out))


if __name__ == "__main__":
    main()

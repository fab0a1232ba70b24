#!/usr/bin/env python3
"""Native reference for sha256.c's bench(); writes sha256.vectors.json.

Uses Python's hashlib (an implementation independent of sha256.c) with the same deterministic
fill (byte i = (i * 2654435761 mod 2^32) >> 24) and chaining (each digest overwrites the
buffer's first 32 bytes). build.sh runs it before compiling.

Usage: sha256_ref.py [OUT_DIR]   (default: the directory of this script)
"""
import hashlib
import json
import os
import sys

BUF_SIZE = 65536
ITERATIONS = (0, 1, 2, 20)


def bench(iterations):
    buf = bytearray(((i * 2654435761) & 0xFFFFFFFF) >> 24 for i in range(BUF_SIZE))
    if iterations < 1:
        return 0
    for _ in range(iterations):
        d = hashlib.sha256(buf).digest()
        buf[:32] = d
    return int.from_bytes(d[:4], "big", signed=True)   # an i32 result, as WASM sees it


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    cases = [{"export": "bench", "args": [n], "expect": [bench(n)]} for n in ITERATIONS]
    with open(os.path.join(out_dir, "sha256.vectors.json"), "w") as f:
        f.write("[\n" + ",\n".join("  " + json.dumps(c) for c in cases) + "\n]\n")
    print(f"sha256_ref.py: sha256.vectors.json ({len(cases)} cases)")


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# run.sh: Chicory (the sandbox and a bare compiled instance, `ota bench compute`) against V8
# (node, compute-v8.mjs) on the same .wasm and vector file, kernel by kernel, one after the
# other in one run; prints one table line per kernel (medians of REPEAT passes, ms).
#
#   docs/bench/kernels/run.sh [KERNELS_DIR] [REPEAT]      # after fetch.sh
#
# The kernels: the real-world ones fetch.sh brings (vector files beside this script) and the
# project's own C kernels (testdata/wasm: sha256, brake_temp). OTA_JAVA_OPTS reaches the JVM.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
DIR=${1:-${KERNELS_DIR:-/tmp/wasmota-kernels}}
REPEAT=${2:-20}
field() { sed -n "s/^$1=//p" <<<"$2" | head -1; }
printf '%-22s %10s %10s %10s %8s %8s\n' kernel sandbox_ms raw_ms v8_ms sbx/raw raw/v8
run() {
  local name=$1 wasm=$2 vectors=$3
  local j v
  j=$("$ROOT/ota" bench compute --wasm "$wasm" --vectors "$vectors" --repeat "$REPEAT")
  v=$(node "$ROOT/docs/bench/compute-v8.mjs" --wasm "$wasm" --vectors "$vectors" --repeat "$REPEAT")
  local s r n
  s=$(field compute_ms "$j"); r=$(field compute_raw_ms "$j"); n=$(field compute_ms "$v")
  printf '%-22s %10s %10s %10s %8s %8s\n' "$name" "$s" "$r" "$n" "$(field compute_sandbox_over_raw_x "$j")" \
    "$(awk -v a="$r" -v b="$n" 'BEGIN { printf "%.2f", a / b }')"
}
for v in "$HERE"/*.vectors.json; do
  name=$(basename "$v" .vectors.json)
  [ -f "$DIR/$name.wasm" ] || { echo "$name: $DIR/$name.wasm missing (run fetch.sh first)" >&2; continue; }
  run "$name" "$DIR/$name.wasm" "$v"
done
run sha256.c "$ROOT/testdata/wasm/sha256.wasm" "$ROOT/testdata/wasm/sha256.vectors.json"
run brake_temp.c "$ROOT/testdata/wasm/brake_temp.wasm" "$ROOT/testdata/wasm/brake_temp.vectors.json"

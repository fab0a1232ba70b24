#!/usr/bin/env bash
# Rebuilds every .wasm of the shared test-module corpus from its source, beside the source.
#
#   generators (python3, stdlib only) -> huge_function.wat, large_100k.wat, many_functions.wat and the vector files
#   *.wat                              -> wat2wasm (wabt)
#   *.c                                -> clang --target=wasm32 -nostdlib, linked by wasm-ld (lld)
#
# The project's build and tests never run this: the built .wasm files are committed. Run it
# after editing a source, then commit the sources and outputs together. Idempotent: the same
# tools give byte-identical outputs. If node is installed it also runs every *.vectors.json
# against its module (check_vectors.mjs); set SKIP_VECTORS=1 to skip that.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

CLANG=${CLANG:-clang}
missing=()
for tool in python3 wat2wasm wasm-validate "$CLANG" wasm-ld; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
    echo "build.sh: missing tool(s): ${missing[*]}; install them with: apt-get install wabt clang lld python3" >&2
    exit 1
fi
if ! echo 'int f(void){return 0;}' | "$CLANG" --target=wasm32 -x c -c - -o /dev/null 2>/dev/null; then
    echo "build.sh: $CLANG cannot target wasm32; install clang >= 14 with the WebAssembly backend (apt-get install clang lld)" >&2
    exit 1
fi

built=()
note() { printf '  %-26s %8d bytes  %s\n' "$1" "$(stat -c %s "$1")" "$2"; built+=("$1"); }

echo "== generators"
python3 gen_huge_function.py
python3 gen_large_100k.py
python3 gen_hostile.py
python3 gen_many_functions.py
python3 brake_temp_ref.py
python3 sha256_ref.py

echo "== wat2wasm"
for src in *.wat; do
    out="${src%.wat}.wasm"
    wat2wasm "$src" -o "$out"
    note "$out" "<- $src"
done

echo "== clang"
# -mcpu=mvp: no post-MVP features, whatever clang's default; only export_name functions and
# memory are exported (no --export-dynamic, so no __heap_base / __data_end); fixed memory.
CFLAGS=(--target=wasm32 -mcpu=mvp -nostdlib -Wall -Wextra -Wl,--no-entry)
"$CLANG" "${CFLAGS[@]}" -O2 -Wl,-z,stack-size=8192 \
    -Wl,--initial-memory=65536 -Wl,--max-memory=65536 brake_temp.c -o brake_temp.wasm
note brake_temp.wasm "<- brake_temp.c (-O2, 1 page)"
"$CLANG" "${CFLAGS[@]}" -O3 -Wl,-z,stack-size=16384 \
    -Wl,--initial-memory=131072 -Wl,--max-memory=131072 sha256.c -o sha256.wasm
note sha256.wasm "<- sha256.c (-O3, 2 pages)"
chmod 644 brake_temp.wasm sha256.wasm  # wasm-ld marks its output executable

echo "== validate"
for out in "${built[@]}"; do
    wasm-validate "$out"
done
echo "  ${#built[@]} modules valid"

size_in() {  # file min max
    local size
    size=$(stat -c %s "$1")
    if ((size < $2 || size > $3)); then
        echo "build.sh: $1 is $size bytes, outside $2..$3: retune its generator" >&2
        exit 1
    fi
}
size_in large_100k.wasm 95000 110000
size_in huge_function.wasm 100000 200000
size_in many_functions.wasm 900000 1100000

if [[ "${SKIP_VECTORS:-}" != 1 ]] && command -v node >/dev/null 2>&1; then
    echo "== vectors (node)"
    node check_vectors.mjs
else
    echo "== vectors: skipped (node not installed or SKIP_VECTORS=1)"
fi
echo "build.sh: done"

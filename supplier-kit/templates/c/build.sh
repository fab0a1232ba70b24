#!/usr/bin/env bash
# Builds @MODULE@.wasm from module.c with Debian's clang and lld (apt-get install clang lld).
#
#   ./build.sh [OUT_DIR]    the module at OUT_DIR/@MODULE@.wasm (default: ./build)
#   ./build.sh --check      only checks the toolchain: exit 0, or 3 naming what is missing
#
# No libc, no post-MVP WebAssembly features, one fixed 64 KiB page (8 KiB of stack), only the
# ECU_EXPORT functions and memory exported. The same tools give the same bytes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLANG=${CLANG:-clang}

check() {
    local missing=()
    command -v "$CLANG" >/dev/null 2>&1 || missing+=("$CLANG")
    command -v wasm-ld >/dev/null 2>&1 || missing+=(wasm-ld)
    if ((${#missing[@]} == 0)) && ! echo 'int f(void){return 0;}' | "$CLANG" --target=wasm32 -x c -c - -o /dev/null 2>/dev/null; then
        missing+=("$CLANG with the wasm32 target")
    fi
    if ((${#missing[@]})); then
        echo "build.sh: toolchain missing: ${missing[*]}; install it with: apt-get install clang lld" >&2
        return 3
    fi
}

if [[ "${1:-}" == --check ]]; then
    check
    exit
fi
check || exit
out="${1:-$here/build}"
mkdir -p "$out"
"$CLANG" --target=wasm32 -mcpu=mvp -nostdlib -std=c11 -Wall -Wextra -Werror -O2 \
    -Wl,--no-entry -Wl,-z,stack-size=8192 -Wl,--initial-memory=65536 -Wl,--max-memory=65536 \
    -I "$here" "$here/module.c" -o "$out/@MODULE@.wasm"
chmod 644 "$out/@MODULE@.wasm" # wasm-ld marks its output executable
echo "built $out/@MODULE@.wasm ($(stat -c %s "$out/@MODULE@.wasm") bytes)"

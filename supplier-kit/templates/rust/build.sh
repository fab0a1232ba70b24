#!/usr/bin/env bash
# Builds @MODULE@.wasm from src/lib.rs and the ecu crate (./ecu) with Debian's Rust toolchain, no
# cargo and no registry (apt-get install rustc libstd-rust-dev-wasm32 lld-14).
#
#   ./build.sh [OUT_DIR]    the module at OUT_DIR/@MODULE@.wasm (default: ./build)
#   ./build.sh --check      only checks the toolchain: exit 0, or 3 naming what is missing
#
# RUSTC defaults to Debian's /usr/bin/rustc (1.63): a rustup rustc earlier in PATH may lack the
# wasm32-unknown-unknown target. Sources are remapped, so the bytes do not depend on where the
# project lies; symbols are stripped; 16 KiB of stack in one fixed 64 KiB page.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUSTC=${RUSTC:-/usr/bin/rustc}
TARGET=wasm32-unknown-unknown
WASM_LD=${WASM_LD:-$(command -v wasm-ld-14 || command -v wasm-ld || echo wasm-ld)}

check() {
    local missing=()
    command -v "$RUSTC" >/dev/null 2>&1 || missing+=("$RUSTC")
    command -v "$WASM_LD" >/dev/null 2>&1 || missing+=(wasm-ld)
    if command -v "$RUSTC" >/dev/null 2>&1; then
        local libdir
        libdir=$("$RUSTC" --print target-libdir --target "$TARGET" 2>/dev/null || true)
        compgen -G "$libdir/libcore-*.rlib" >/dev/null || missing+=("the $TARGET target of $RUSTC")
    fi
    if ((${#missing[@]})); then
        echo "build.sh: toolchain missing: ${missing[*]}; install it with: apt-get install rustc libstd-rust-dev-wasm32 lld-14" >&2
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
common=(--edition 2021 --target "$TARGET" -C opt-level=2 -C panic=abort -C strip=symbols -D warnings
    --remap-path-prefix "$here=@MODULE@")
"$RUSTC" "${common[@]}" --crate-name ecu --crate-type rlib "$here/ecu/src/lib.rs" -o "$out/libecu.rlib"
"$RUSTC" "${common[@]}" --crate-name @CRATE@ --crate-type cdylib \
    -C linker="$WASM_LD" -C link-arg=-zstack-size=16384 -C link-arg=--initial-memory=65536 \
    -C link-arg=--max-memory=65536 --extern ecu="$out/libecu.rlib" "$here/src/lib.rs" -o "$out/@MODULE@.wasm"
chmod 644 "$out/@MODULE@.wasm"
echo "built $out/@MODULE@.wasm ($(stat -c %s "$out/@MODULE@.wasm") bytes)"

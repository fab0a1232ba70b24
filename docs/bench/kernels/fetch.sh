#!/usr/bin/env bash
# fetch.sh: the real-world WebAssembly kernels of docs/BENCHMARKS.md ("Chicory against V8"),
# taken from the npm packages that ship them, into DIR (default: $KERNELS_DIR or
# /tmp/wasmota-kernels). Nothing of them is committed here; this script fetches them each time.
#
#   hash-wasm 4.13.0 (MIT, (c) Dani Biro): hand-tuned C compiled to WebAssembly by its author;
#     the modules are base64 strings inside dist/*.umd.min.js: crc32, sha256, md5, xxhash64, blake3
#   xxhash-wasm 1.1.0 (MIT, (c) Michael Jungo): xxHash written in WebAssembly text by its author
#
# Needs node and npm (the registry). Prints the files it wrote.
set -euo pipefail
DIR=${1:-${KERNELS_DIR:-/tmp/wasmota-kernels}}
mkdir -p "$DIR/npm"
cd "$DIR/npm"
[ -f package.json ] || echo '{"private": true}' > package.json
npm install --no-audit --no-fund --silent hash-wasm@4.13.0 xxhash-wasm@1.1.0 >/dev/null
node -e '
const fs = require("fs");
const out = process.argv[1];
for (const name of ["crc32", "sha256", "md5", "xxhash64", "blake3"]) {
  const src = fs.readFileSync(`node_modules/hash-wasm/dist/${name}.umd.min.js`, "utf8");
  const m = /name:"([a-z0-9]+)",data:"([A-Za-z0-9+\/=]+)"/.exec(src);
  if (!m || m[1] !== name) throw new Error(`no ${name} module in hash-wasm`);
  fs.writeFileSync(`${out}/hash-wasm-${name}.wasm`, Buffer.from(m[2], "base64"));
}
fs.copyFileSync("node_modules/xxhash-wasm/workerd/xxhash.wasm", `${out}/xxhash-wasm-xxh64.wasm`);
' "$DIR"
for f in "$DIR"/*.wasm; do printf '%s %s\n' "$(sha256sum "$f" | cut -c1-16)" "$f"; done

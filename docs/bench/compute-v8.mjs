// compute-v8.mjs: the V8 (node) side of `ota bench compute`, for the comparison in
// docs/BENCHMARKS.md. Same module, same vector file, same passes:
//
//   node docs/bench/compute-v8.mjs --wasm FILE --vectors FILE [--repeat N]
//
// Like ComputeBench: the module is compiled once; each pass runs every case of the vector file
// in order on a fresh instance (instantiation not timed), with "repeat" and "can" honoured and
// every "expect" checked; warm-up passes for --warmup-ms (default 3000, at least one), then N
// measured passes (default 10), as ota bench compute's --warmup; prints the
// median wall time of one pass as compute_ms=12.3 (and min, max, passes, vectors_passed).
// Host imports ("ecu") are stubs with the CONTRACT's semantics: can_read serves the "can"
// signals (-3 if unset), can_write records, log drops the line, clock_us is monotonic, i2c_*
// return -1 (not permitted). Calls go straight from JS to WASM: there is no sandbox thread
// hand-off on this side, which is part of what the comparison shows.
import { readFileSync } from "node:fs";

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  if (fallback === undefined) {
    console.error(`usage: node compute-v8.mjs --wasm FILE --vectors FILE [--repeat N] [--warmup-ms N] (missing ${name})`);
    process.exit(2);
  }
  return fallback;
}

const wasmFile = option("--wasm");
const vectorsFile = option("--vectors", wasmFile.replace(/\.wasm$/, ".vectors.json"));
const repeat = Number(option("--repeat", "10"));
const warmupMs = Number(option("--warmup-ms", "3000"));
if (!Number.isInteger(repeat) || repeat < 1) {
  console.error("--repeat must be at least 1");
  process.exit(2);
}

// The type of every exported function, read from the binary (node does not expose it).
function exportTypes(bytes) {
  let pos = 8;
  const u32 = () => { let r = 0, s = 0, b; do { b = bytes[pos++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return r >>> 0; };
  const name = () => { const n = u32(); const s = Buffer.from(bytes.subarray(pos, pos + n)).toString(); pos += n; return s; };
  const VT = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64" };
  const types = [], funcs = [], result = {};
  while (pos < bytes.length) {
    const id = bytes[pos++], size = u32(), end = pos + size;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        pos++; // 0x60
        const params = Array.from({ length: u32() }, () => VT[bytes[pos++]]);
        const results = Array.from({ length: u32() }, () => VT[bytes[pos++]]);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        name(); name();
        const kind = bytes[pos++];
        if (kind === 0) funcs.push(u32());
        else if (kind === 1) { pos++; const f = u32(); u32(); if (f & 1) u32(); }
        else if (kind === 2) { const f = u32(); u32(); if (f & 1) u32(); }
        else { pos += 2; }
      }
    } else if (id === 3) {
      for (let n = u32(); n > 0; n--) funcs.push(u32());
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const nm = name(), kind = bytes[pos++], idx = u32();
        if (kind === 0) result[nm] = types[funcs[idx]];
      }
    }
    pos = end;
  }
  return result;
}

const bytes = readFileSync(wasmFile);
const module = new WebAssembly.Module(bytes);
const types = exportTypes(bytes);
const cases = JSON.parse(readFileSync(vectorsFile, "utf8")).map((c) => {
  const type = types[c.export];
  if (!type) throw new Error(`${vectorsFile}: the module exports no function '${c.export}'`);
  const toWasm = (v, t) => (t === "i64" ? BigInt(v) : Number(v));
  return {
    export: c.export,
    type,
    args: (c.args || []).map((a, i) => toWasm(a, type.params[i])),
    expect: c.expect,
    repeat: c.repeat || 1,
    can: Object.entries(c.can || {}).map(([id, v]) => [parseInt(String(id).replace(/^0x/i, ""), 16), BigInt(v)]),
  };
});

// The simulated CAN bus outlives instances, as the host's does across passes.
const can = new Map();

function instantiate() {
  const state = { can, memory: null };
  const t0 = process.hrtime.bigint();
  const inBounds = (ptr, len) => ptr >= 0 && len >= 0 && ptr + len <= state.memory.buffer.byteLength;
  const ecu = {
    log: () => {},
    clock_us: () => (process.hrtime.bigint() - t0) / 1000n,
    can_read: (id, ptr) => {
      if (!inBounds(ptr, 8)) return -2;
      if (!state.can.has(id)) return -3;
      new DataView(state.memory.buffer).setBigInt64(ptr, state.can.get(id), true);
      return 0;
    },
    can_write: () => 0,
    i2c_read: () => -1,
    i2c_write: () => -1,
  };
  const instance = new WebAssembly.Instance(module, { ecu });
  state.memory = instance.exports.memory;
  return { instance, state };
}

const same = (got, want, t) => (t === "i64" ? BigInt(got) === BigInt(want) : Number(got) === Number(want));

// One pass on a fresh instance; returns [nanoseconds, first failure or ""].
function pass() {
  const { instance, state } = instantiate();
  let failure = "";
  const start = process.hrtime.bigint();
  for (const c of cases) {
    for (const [id, v] of c.can) state.can.set(id, v);
    const fn = instance.exports[c.export];
    for (let r = 0; r < c.repeat; r++) {
      const got = fn(...c.args);
      if (c.expect && !failure) {
        const list = c.type.results.length === 1 ? [got] : got === undefined ? [] : got;
        if (list.length !== c.expect.length || !list.every((g, i) => same(g, c.expect[i], c.type.results[i]))) {
          failure = `${c.export}(${c.args.join(", ")}): got [${list}], expected [${c.expect}]`;
        }
      }
    }
  }
  return [Number(process.hrtime.bigint() - start), failure];
}

console.log(`# node ${process.version} (V8 ${process.versions.v8})`);
console.log(`compute: ${wasmFile.split("/").pop()} with ${vectorsFile.split("/").pop()}, ${warmupMs} ms warm-up + ${repeat} measured ...`);
let [, failure] = pass();
for (const until = Date.now() + warmupMs; Date.now() < until; ) {
  const [, f] = pass();
  if (!failure) failure = f;
}
const samples = [];
for (let i = 0; i < repeat; i++) {
  const [ns, f] = pass();
  samples.push(ns);
  if (!failure) failure = f;
}
samples.sort((a, b) => a - b);
// nearest rank, as Percentiles.java
const median = samples[Math.max(1, Math.ceil(0.5 * samples.length)) - 1];
const ms = (ns) => (ns / 1e6).toFixed(1);
console.log(`compute_ms=${ms(median)}`);
console.log(`compute_min_ms=${ms(samples[0])}`);
console.log(`compute_max_ms=${ms(samples[samples.length - 1])}`);
console.log(`passes=${repeat}`);
console.log(`vectors_passed=${failure === ""}`);
if (failure) {
  console.error(`vectors failed: ${failure}`);
  process.exit(5);
}

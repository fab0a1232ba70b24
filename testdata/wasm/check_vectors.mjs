// check_vectors.mjs: a cross-check of the corpus in node's WebAssembly engine (optional; the
// project's own tests run the modules in Chicory). build.sh runs it when node is installed.
//
// 1. Runs every X.vectors.json against X.wasm with the CONTRACT's semantics: cases in order
//    on one instance, "repeat", "can" signals set before the call, i64 values as strings.
//    The "ecu" imports are stubs: can_read serves the "can" signals (-3 if unset), can_write
//    records, log collects lines, clock_us is monotonic, i2c_* return -1 (not permitted).
// 2. Checks the fault modules fault the way README.md says (except runaway and memory_bomb,
//    which only a host with deadlines and memory caps can stop).
//
// Usage: node check_vectors.mjs [-v]
import { readFileSync, readdirSync } from "node:fs";

const verbose = process.argv.includes("-v");
let failures = 0;
const fail = (msg) => { failures++; console.error(`  FAIL ${msg}`); };

// Minimal binary reader: the type of every exported function (node does not expose it).
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

function instantiate(file) {
  const bytes = readFileSync(file);
  const state = { can: new Map(), written: new Map(), log: [], memory: null };
  const mem = () => new DataView(state.memory.buffer);
  const inBounds = (ptr, len) => ptr >= 0 && len >= 0 && ptr + len <= state.memory.buffer.byteLength;
  const t0 = process.hrtime.bigint();
  const ecu = {
    log: (ptr, len) => {
      if (inBounds(ptr, len)) state.log.push(Buffer.from(state.memory.buffer, ptr, len).toString());
    },
    clock_us: () => (process.hrtime.bigint() - t0) / 1000n,
    can_read: (id, ptr) => {
      if (!inBounds(ptr, 8)) return -2;
      if (!state.can.has(id)) return -3;
      mem().setBigInt64(ptr, state.can.get(id), true);
      return 0;
    },
    can_write: (id, value) => { state.written.set(id, value); return 0; },
    i2c_read: () => -1,
    i2c_write: () => -1,
  };
  const wasi_snapshot_preview1 = { fd_write: () => 8 /* EBADF */ };
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, { ecu, wasi_snapshot_preview1 });
  state.memory = instance.exports.memory;
  return { instance, state, types: exportTypes(bytes) };
}

const toWasm = (v, t) => (t === "i64" ? BigInt(v) : Number(v));
const same = (got, want, t) => (t === "i64" ? BigInt(got) === BigInt(want) : Number(got) === Number(want));

function runVectors(vectorsFile) {
  const wasmFile = vectorsFile.replace(/\.vectors\.json$/, ".wasm");
  const cases = JSON.parse(readFileSync(vectorsFile, "utf8"));
  const { instance, state, types } = instantiate(wasmFile);
  let calls = 0;
  cases.forEach((c, n) => {
    const where = `${vectorsFile} case ${n} ${c.export}(${(c.args || []).join(", ")})`;
    const type = types[c.export];
    if (!type) return fail(`${where}: no such export`);
    for (const [id, v] of Object.entries(c.can || {})) state.can.set(Number(id), BigInt(v));
    const args = (c.args || []).map((a, i) => toWasm(a, type.params[i]));
    for (let r = 0; r < (c.repeat || 1); r++) {
      let got;
      try { got = instance.exports[c.export](...args); calls++; } catch (e) { return fail(`${where}: ${e.message}`); }
      if (c.expect) {
        const list = type.results.length === 1 ? [got] : got === undefined ? [] : got;
        const ok = list.length === c.expect.length && list.every((g, i) => same(g, c.expect[i], type.results[i]));
        if (!ok) return fail(`${where}: got [${list}] want [${c.expect}]`);
      }
    }
  });
  console.log(`  ${vectorsFile}: ${cases.length} cases, ${calls} calls${verbose ? `, log ${JSON.stringify(state.log)}` : ""}`);
}

function expectFault(file, calls, pattern, what) {
  const { instance } = instantiate(file);
  if (instance.exports.init() !== 0) return fail(`${file}: init() != 0`);
  for (let i = 1; i <= calls; i++) {
    try { instance.exports.tick(); } catch (e) {
      if (i !== calls || !pattern.test(String(e))) return fail(`${file}: tick ${i}: ${e}`);
      return console.log(`  ${file}: tick ${i} faults as expected (${what}: ${e.message})`);
    }
  }
  fail(`${file}: no fault after ${calls} ticks`);
}

console.log("vectors:");
for (const f of readdirSync(".").filter((f) => f.endsWith(".vectors.json")).sort()) runVectors(f);

console.log("faults:");
expectFault("oob_load.wasm", 1, /out of bounds/, "trap");
expectFault("recursion.wasm", 1, /call stack|RangeError/, "stack overflow");
expectFault("trap_storm.wasm", 5, /unreachable/, "trap");
{
  const { instance } = instantiate("failing_init.wasm");
  const r = instance.exports.init();
  if (r !== 1) fail(`failing_init.wasm: init() = ${r}`); else console.log("  failing_init.wasm: init() = 1 as expected");
}
for (const f of ["empty.wasm", "healthy_v2.wasm", "forbidden_import.wasm", "wasi_import.wasm", "huge_function.wasm"]) {
  const { instance } = instantiate(f);
  try { if (instance.exports.init() !== 0) fail(`${f}: init() != 0`); instance.exports.tick(); } catch (e) { fail(`${f}: ${e}`); }
}
console.log("  empty, healthy_v2, forbidden_import, wasi_import, huge_function: init 0 and a tick run in node");

if (failures) { console.error(`check_vectors.mjs: ${failures} failure(s)`); process.exit(1); }
console.log("check_vectors.mjs: all good");

// One runtime, one model, in a fresh Node process (spawned by bench/run.mjs): cold-start times
// and peak memory without the other runtimes sharing the heap.
//
//   node bench/mem_child.mjs <litecnn|ort|tfjs> <model name> <runs>
//
// Prints one line `RESULT {json}`:
//   init_ms        import + wasm instantiation of the runtime (ORT: incl. a 1-node session)
//   load_ms        model load / session creation / TF.js graph build incl. weight upload
//   first_run_ms   first inference (XNNPACK creates and packs its operators here; ORT and
//                  litecnn pack at load)
//   run_median_ms  median of the following runs
//   rss_*          process RSS (bytes) at start, after init, after load, at the end, and the
//                  peak (VmHWM from /proc/self/status) over the process lifetime
//   wasm_memory_bytes  sum of the byteLength of every WebAssembly.Memory the runtime created or
//                  imported (observed by wrapping WebAssembly.instantiate / Instance; wasm
//                  memory never shrinks, so this is the peak)
//   wasm_heap_accessor_bytes  the same via the runtime's own handle, where it has one
//                  (litecnn: module.HEAP8; TF.js: backend().wasm.HEAPU8); null for ORT

import { readFileSync } from 'node:fs';

const memories = new Set();
const collect = (obj) => {
  if (!obj || typeof obj !== 'object') return;
  for (const v of Object.values(obj)) {
    if (v instanceof WebAssembly.Memory) memories.add(v);
    else if (v && typeof v === 'object' && !(v instanceof WebAssembly.Memory)) {
      for (const w of Object.values(v)) if (w instanceof WebAssembly.Memory) memories.add(w);
    }
  }
};
const origInstantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async function instantiate(source, imports, ...rest) {
  const r = await origInstantiate.call(this, source, imports, ...rest);
  collect(imports);
  collect((r.instance ?? r).exports);
  return r;
};
if (WebAssembly.instantiateStreaming) {
  const origStreaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async function instantiateStreaming(source, imports, ...rest) {
    const r = await origStreaming.call(this, source, imports, ...rest);
    collect(imports);
    collect(r.instance.exports);
    return r;
  };
}
const OrigInstance = WebAssembly.Instance;
WebAssembly.Instance = new Proxy(OrigInstance, {
  construct(target, args) {
    const inst = Reflect.construct(target, args);
    collect(args[1]);
    collect(inst.exports);
    return inst;
  },
});

const rss = () => process.memoryUsage().rss;
// Peak RSS of this process image. Not getrusage's maxRSS: Linux carries ru_maxrss over fork +
// exec, so a child spawned by a big parent reports the parent's peak. VmHWM belongs to the
// new address space.
const peakRss = () => {
  try {
    const m = readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+)\s+kB/m);
    if (m) return Number(m[1]) * 1024;
  } catch { /* not Linux */ }
  return process.resourceUsage().maxRSS * 1024;
};
const rssStart = rss();

const [runtimeName, modelName, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);

const { RUNTIMES } = await import('./runtimes.mjs');
const { benchInputs, loadManifest, readModelBytes } = await import('../tests/node/model_helpers.mjs');
const { median } = await import('./stats.mjs');

const rt = RUNTIMES[runtimeName];
if (!rt) throw new Error(`unknown runtime ${runtimeName}`);
const entry = loadManifest().models.find((m) => m.name === modelName);
if (!entry) throw new Error(`unknown model ${modelName}`);
const bytes = readModelBytes(entry);

const result = { runtime: runtimeName, model: modelName, rss_start: rssStart };
// LITECNN_BENCH_BACKEND: the litecnn build to force (bench/run.mjs's cold start of each build).
const backend = process.env.LITECNN_BENCH_BACKEND;
let t0 = performance.now();
await rt.init(...(runtimeName === 'litecnn' && backend ? [{ backend }] : []));
result.init_ms = performance.now() - t0;
result.rss_after_init = rss();

t0 = performance.now();
const session = await rt.load(bytes, entry);
result.load_ms = performance.now() - t0;
result.rss_after_load = rss();

const feeds = benchInputs(entry);
const prepared = session.prepare(feeds);
t0 = performance.now();
await session.run(prepared);
result.first_run_ms = performance.now() - t0;
const ms = [];
for (let i = 0; i < runs; i++) {
  t0 = performance.now();
  await session.run(prepared);
  ms.push(performance.now() - t0);
}
result.run_median_ms = median(ms);
result.runs = runs;
result.rss_end = rss();
result.rss_peak = peakRss();
result.wasm_memory_bytes = [...memories].reduce((s, m) => s + m.buffer.byteLength, 0);
result.wasm_memories = memories.size;
result.wasm_heap_accessor_bytes = rt.wasmHeapBytes();
const mu = process.memoryUsage();
result.js_heap_used = mu.heapUsed;
result.external = mu.external;
await session.dispose();
console.log(`RESULT ${JSON.stringify(result)}`);

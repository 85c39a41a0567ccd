// One process per thread count (ORT's thread count is process-wide, fixed at its first session):
//   node bench/threads_child.mjs THREADS WARMUP_RUNS:WARMUP_MS RUNS model1,model2,...
// litecnn's threads build (backend 'simd-threads', a pool of THREADS) with numThreads = THREADS
// against onnxruntime-web with ort.env.wasm.numThreads = THREADS, timed on the manifest's seeded
// input in alternating blocks (see below). TF.js is absent: its wasm backend has no threads in
// Node (WASM_HAS_MULTITHREAD_SUPPORT is false under Node). Prints `RESULT {json}`.
import { RUNTIMES } from './runtimes.mjs';
import { summarize, warmUp } from './stats.mjs';
import { benchInputs, compareOutputs, loadManifest, readModelBytes } from '../tests/node/model_helpers.mjs';

const [threadsArg, warmupArg, runsArg, modelsArg] = process.argv.slice(2);
const threads = Number(threadsArg);
const [warmup, warmupMs] = warmupArg.split(':').map(Number);
const runs = Number(runsArg);
const INPUT_SEED = 0x11ce;
const BLOCK = 5;  // timed runs per block (see below)

const litecnn = RUNTIMES.litecnn;
const ort = RUNTIMES.ort;
await litecnn.init({ backend: 'simd-threads', numThreads: threads });
await ort.init({ numThreads: threads });

const out = { threads, block: BLOCK, build: (await litecnn.backendInfo()).build, models: [] };
const entries = loadManifest().models.filter((m) => modelsArg.split(',').includes(m.name));
for (const entry of entries) {
  const bytes = readModelBytes(entry);
  const feeds = benchInputs(entry, INPUT_SEED);
  const sessions = { litecnn: await litecnn.load(bytes, entry, { numThreads: threads }), ort: await ort.load(bytes, entry) };
  // With more than one thread, also litecnn at 1 thread in this process, its runs alternating
  // with the N-thread ones: the speed-up from pairs timed side by side, which the machine's
  // drift between child processes (up to 50% here within minutes) cannot skew.
  if (threads > 1) sessions.litecnn_1t = await litecnn.load(bytes, entry, { numThreads: 1 });
  for (const s of Object.values(sessions)) s.prepared = s.prepare(feeds);
  // The same numbers as ORT's before any timing counts.
  const ref = await sessions.ort.run(sessions.ort.prepared);
  const got = await sessions.litecnn.run(sessions.litecnn.prepared);
  const { relative } = compareOutputs(got, ref, entry.task);
  // Runtimes in alternating blocks of BLOCK timed runs, so that both see the same phases of this
  // VM, whose speed shifts by up to 1.5x for seconds at a time (a runtime timed after the other
  // can land in another phase). Runs within a block are back to back: both pools' threads are
  // awake at each run's start. Not interleaved run by run: ORT's pool threads spin for a while
  // after each run (onnxruntime's intra-op spinning) and would take the second core from
  // litecnn's next run (measured: litecnn's 2-thread runs then gain nothing); so each block
  // starts after a pause and one untimed run.
  // With more than one thread, a third block alternates litecnn's 1- and N-thread runs
  // (`interleaved`, the speed-up from pairs timed side by side); each N-thread run there starts
  // with the pool's worker asleep (its ~2 ms of polling ends during the 1-thread run; waking it
  // costs ~0.4 ms here), as in an app that runs a model every frame.
  const ms = { litecnn: [], ort: [], litecnn_1t: [], litecnn_interleaved: [] };
  const blocks = [[['litecnn', 'litecnn']], [['ort', 'ort']]];
  if (sessions.litecnn_1t) blocks.push([['litecnn', 'litecnn_interleaved'], ['litecnn_1t', 'litecnn_1t']]);
  const round = async (block, timed) => {
    for (const [session, record] of block) {
      const t = performance.now();
      await sessions[session].run(sessions[session].prepared);
      if (timed) ms[record].push(performance.now() - t);
    }
    // One macrotask per round: lets litecnn's pthread Workers, started by the first run,
    // deliver their 'loaded' message during the warm-up (the API does this itself too).
    await new Promise((resolve) => setImmediate(resolve));
  };
  for (const block of blocks) await warmUp(() => round(block, false), warmup, warmupMs);
  for (let done = 0; done < runs; done += BLOCK) {
    for (const block of blocks) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await round(block, false);
      for (let k = done; k < Math.min(runs, done + BLOCK); k++) await round(block, true);
    }
  }
  for (const s of Object.values(sessions)) await s.dispose();
  const timing = { litecnn: summarize(ms.litecnn), ort: summarize(ms.ort) };
  if (ms.litecnn_1t.length) {
    timing.litecnn_1t = summarize(ms.litecnn_1t);
    timing.litecnn_interleaved = summarize(ms.litecnn_interleaved);
  }
  out.models.push({ model: entry.name, relative, timing });
  console.error(`  ${threads} thread(s) ${entry.name}: litecnn ${summarize(ms.litecnn).median_ms.toFixed(1)} ms, ` +
    `ORT ${summarize(ms.ort).median_ms.toFixed(1)} ms`);
}
console.log(`RESULT ${JSON.stringify(out)}`);
process.exit(0);  // ORT's worker threads would keep the process alive

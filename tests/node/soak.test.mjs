// Soak: long runs must not leak. 10,000 inferences on one model, then 200 load/run/dispose cycles
// across every model of the manifest; after warm-up the wasm heap in use must come back to its
// level (within HEAP_SLACK), the wasm memory must not grow, and the process RSS must show no
// upward trend.
//
// LITECNN_SOAK_RUNS / LITECNN_SOAK_CYCLES override the counts (e.g. smaller for a quick local
// check). The figures are printed as TAP comments ("# soak ...") for the record.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';

import { Tensor, loadModel, memoryStats } from 'litecnn';

import { HEAP_SLACK, loadManifest, readModelBytes, seededUniform } from './model_helpers.mjs';

const RUNS = Number(process.env.LITECNN_SOAK_RUNS ?? 10_000);
const CYCLES = Number(process.env.LITECNN_SOAK_CYCLES ?? 200);
const MB = 2 ** 20;
// RSS after warm-up wanders by about 10 MB with V8's garbage collector even after a forced
// collection (measured over repeated runs); the wasm heap check is within bytes (HEAP_SLACK),
// so this bound is for leaks on the JS side: keeping each run's 4 KB of outputs alive would add
// 40 MB over 10,000 runs.
const RSS_BOUND = 32 * MB;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes) => (bytes / MB).toFixed(1);

function feedsFor(model, seed) {
  return Object.fromEntries(
    model.inputs.map(({ name, dims }) => {
      const count = dims.reduce((a, b) => a * b, 1);
      return [name, new Tensor(Float32Array.from(seededUniform(seed, count)), dims)];
    }),
  );
}

// A full garbage collection before each RSS sample, so that samples compare live memory rather
// than how much JS garbage (output copies, model byte copies) V8 happened to keep around.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

// Samples after each window: wasm heap in use, wasm memory, RSS.
async function sample() {
  gc();
  const { heapBytesInUse, wasmMemoryBytes } = await memoryStats();
  return { heap: heapBytesInUse, wasm: wasmMemoryBytes, rss: process.memoryUsage().rss };
}

function assertFlat(samples, what) {
  const heaps = samples.map((s) => s.heap);
  const spread = Math.max(...heaps) - Math.min(...heaps);
  assert.ok(spread <= HEAP_SLACK,
    `${what}: wasm heap in use varies by ${spread} bytes (bound ${HEAP_SLACK}): ${[...new Set(heaps)].join(', ')}`);
  const wasm = new Set(samples.map((s) => s.wasm));
  assert.equal(wasm.size, 1, `${what}: wasm memory grew: ${[...wasm].join(', ')}`);
  const third = Math.max(1, Math.floor(samples.length / 3));
  // Medians of the first and last thirds: one sample taken mid-collection does not decide.
  const first = median(samples.slice(0, third).map((s) => s.rss));
  const last = median(samples.slice(-third).map((s) => s.rss));
  assert.ok(last - first < RSS_BOUND,
    `${what}: RSS rose from ${mb(first)} MB to ${mb(last)} MB (bound ${mb(RSS_BOUND)} MB)`);
  const all = samples.map((s) => s.rss);
  const heap = spread === 0 ? `${heaps[0]}` : `${Math.min(...heaps)}-${Math.max(...heaps)}`;
  return { first, last, min: Math.min(...all), max: Math.max(...all), heap };
}

test(`${RUNS} inferences on one model keep the heap and RSS flat`, async () => {
  const entry = loadManifest().models.find((m) => m.name === 'mobilenet_v3_small');
  const model = await loadModel(readModelBytes(entry));
  const feeds = feedsFor(model, 7);
  const output = model.outputs[0].name;
  const reference = (await model.run(feeds))[output].data;
  const warmup = Math.min(200, RUNS);
  for (let i = 0; i < warmup; i++) await model.run(feeds);
  const windows = 20;
  const perWindow = Math.max(1, Math.floor((RUNS - warmup) / windows));
  const samples = [await sample()];
  const start = performance.now();
  let last;
  for (let w = 0; w < windows; w++) {
    for (let i = 0; i < perWindow; i++) last = (await model.run(feeds))[output].data;
    samples.push(await sample());
  }
  const ms = (performance.now() - start) / (windows * perWindow);
  model.dispose();
  assert.deepEqual(last, reference, 'the last run gives the bytes of the first');
  const rss = assertFlat(samples, 'runs');
  console.log(`soak runs: ${warmup + windows * perWindow} runs of ${entry.name} (${ms.toFixed(2)} ms each); ` +
    `wasm heap in use ${rss.heap} bytes over the windows, wasm memory ${mb(samples[0].wasm)} MB, ` +
    `RSS ${mb(rss.first)} -> ${mb(rss.last)} MB (median of first vs last third of ${windows} windows; ` +
    `range ${mb(rss.min)}-${mb(rss.max)} MB)`);
});

test(`${CYCLES} load/run/dispose cycles across the models keep the heap and RSS flat`, async () => {
  const entries = loadManifest().models;
  const models = entries.map((entry) => ({ entry, bytes: readModelBytes(entry) }));
  const cycle = async ({ bytes }, seed) => {
    const model = await loadModel(bytes);
    const out = await model.run(feedsFor(model, seed));
    for (const tensor of Object.values(out)) {
      assert.ok(tensor.data.every((v) => Number.isFinite(v)), 'outputs are finite');
    }
    model.dispose();
  };
  // Warm-up: two rounds over every model. The heap grows to the largest model's peak in the
  // first, and may grow once more in the second, when a model's long-lived blocks (e.g. the
  // classifier weights the GEMV kernel reads in place) land where the first round left holes;
  // from then on the allocator reuses the same blocks (measured: one step of 1.7 MB at round 2,
  // none over the next 23).
  for (let r = 0; r < 2; r++) for (const m of models) await cycle(m, 1);
  const samples = [await sample()];
  const rounds = Math.max(1, Math.floor(CYCLES / models.length));
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const m of models) await cycle(m, 2 + r);
    samples.push(await sample());
  }
  const ms = (performance.now() - start) / (rounds * models.length);
  const rss = assertFlat(samples, 'cycles');
  console.log(`soak cycles: ${2 * models.length + rounds * models.length} load/run/dispose cycles over ` +
    `${models.length} models (${ms.toFixed(0)} ms each); wasm heap in use ${rss.heap} bytes ` +
    `after the rounds, wasm memory ${mb(samples[0].wasm)} MB, RSS ${mb(rss.first)} -> ${mb(rss.last)} MB ` +
    `(median of first vs last third of ${samples.length} samples; range ${mb(rss.min)}-${mb(rss.max)} MB)`);
});

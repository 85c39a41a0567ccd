// Model lifetime and the wasm heap: load/run/dispose cycles return the heap to its level, and a
// model dropped without dispose() is freed by the FinalizationRegistry once collected.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Tensor, loadModel, memoryStats } from 'litecnn';

import { HEAP_SLACK, loadManifest, readModelBytes } from './model_helpers.mjs';

const CYCLES = 100;
const WARMUP_CYCLES = 3;

test(`${CYCLES} load/run/dispose cycles keep the heap flat`, async () => {
  const entry = loadManifest().models.find((m) => m.name === 'squeezenet1_1');
  const bytes = readModelBytes(entry);
  const cycle = async () => {
    const model = await loadModel(bytes);
    const input = model.inputs[0];
    const count = input.dims.reduce((a, b) => a * b, 1);
    await model.run({ [input.name]: new Tensor(new Float32Array(count).fill(0.5), input.dims) });
    model.dispose();
  };
  // The first cycles: one-time allocations of the module and, in the threads build (Node's
  // default), of the pool's worker thread (its stack at the first run; its TLS block once its
  // Worker has booted, which nothing waits for: see HEAP_SLACK).
  for (let i = 0; i < WARMUP_CYCLES; i++) await cycle();
  const before = await memoryStats();
  for (let i = 0; i < CYCLES; i++) await cycle();
  const after = await memoryStats();
  console.log(`# heap in use ${before.heapBytesInUse} -> ${after.heapBytesInUse} bytes, ` +
    `wasm memory ${before.wasmMemoryBytes} -> ${after.wasmMemoryBytes} bytes over ${CYCLES} cycles`);
  // Within HEAP_SLACK (model_helpers.mjs): bytes that do not repeat per cycle; a leak does.
  assert.ok(after.heapBytesInUse - before.heapBytesInUse <= HEAP_SLACK,
    `every allocation of a cycle is freed: ${before.heapBytesInUse} -> ${after.heapBytesInUse} bytes`);
  assert.equal(after.wasmMemoryBytes, before.wasmMemoryBytes, 'the heap does not grow');
});

test('a model dropped without dispose() is freed after garbage collection', () => {
  // --expose-gc is a process flag, so this runs in a child.
  const child = spawnSync(process.execPath, ['--expose-gc', join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'finalize_child.mjs')], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(child.status, 0, child.stderr);
  const { baseline, loaded, collected } = JSON.parse(child.stdout.trim().split('\n').at(-1));
  assert.ok(loaded > baseline + 1_000_000, `loading 3 models allocates their weights (${baseline} -> ${loaded})`);
  // Exact with the single-threaded builds; the threads build (Node's default) reads within
  // HEAP_SLACK (its worker's TLS block and alignment slack), where a model is megabytes.
  assert.ok(collected - baseline <= HEAP_SLACK, `the finalizer freed every model: ${baseline} -> ${collected} bytes`);
});

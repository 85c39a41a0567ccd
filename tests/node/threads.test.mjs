// The three wasm builds and threads in Node: the threads build is the default; every model gives
// bit-identical outputs with 1, 2 and 3 threads (3 is more than the CI machine's cores) and with
// the single-threaded SIMD build; a forced plain build, or an engine without SIMD, runs the scalar
// kernels and agrees within tolerance. The module is a per-process singleton: other builds run
// in child processes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import * as litecnn from 'litecnn';

import { REPO_ROOT, loadManifest, maxAbs, maxAbsDiff, readModelBytes, seededUniform } from './model_helpers.mjs';

const SEED = 0x7e57;
const SQUEEZENET = join(REPO_ROOT, 'models/generated/squeezenet1_1.onnx');

await litecnn.init({ numThreads: 3 });

async function runModel(source, numThreads, dims) {
  const model = await litecnn.loadModel(source, { numThreads });
  try {
    const feeds = {};
    for (const input of model.inputs) {
      const d = dims ?? input.dims;
      feeds[input.name] = new litecnn.Tensor(seededUniform(SEED, d.reduce((a, b) => a * b, 1)), d);
    }
    const out = await model.run(feeds);
    return { numThreads: model.numThreads, out: Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.data)])) };
  } finally {
    model.dispose();
  }
}

// Runs `body` as an ES module importing litecnn (from `specifier`); returns its JSON output.
function child(body, specifier = 'litecnn') {
  const source = `import * as litecnn from '${specifier}';\nconst out = {};\ntry {\n${body}\n} catch (e) {\n` +
    `  out.error = { name: e.name, code: e.code, message: e.message };\n}\nconsole.log(JSON.stringify(out));\n`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', source], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

const squeezenetIn = (backendOptions) => `
  await litecnn.init(${JSON.stringify(backendOptions)});
  out.info = await litecnn.backendInfo();
  const model = await litecnn.loadModel(${JSON.stringify(SQUEEZENET)});
  const x = Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => ((i * 7919) % 1000) / 500 - 1);
  const y = await model.run({ [model.inputs[0].name]: new litecnn.Tensor(x, [1, 3, 224, 224]) });
  out.y = Array.from(y[model.outputs[0].name].data);`;

test('in Node the threads build is chosen, with the pool init() asked for', async () => {
  assert.deepEqual(await litecnn.backendInfo(), { build: 'simd-threads', threads: 3, simd: true, crossOriginIsolated: false });
  // By default a model uses the whole pool; more than the pool is clamped to it.
  const model = await litecnn.loadModel(SQUEEZENET);
  assert.equal(model.numThreads, 3);
  model.dispose();
  assert.equal((await runModel(SQUEEZENET, 8)).numThreads, 3);
});

test('without options, the pool has a thread per core, at most 4', () => {
  const out = child('await litecnn.init();\nout.info = await litecnn.backendInfo();');
  const threads = Math.min(availableParallelism(), 4);
  // One core: the single-threaded build, which has no shared-memory costs.
  assert.deepEqual(out.info, { build: threads > 1 ? 'simd-threads' : 'simd', threads, simd: true, crossOriginIsolated: false });
});

test('one thread: the single-threaded build, unless the threads build is forced', () => {
  const auto = child('await litecnn.init({ numThreads: 1 });\nout.info = await litecnn.backendInfo();');
  assert.deepEqual(auto.info, { build: 'simd', threads: 1, simd: true, crossOriginIsolated: false });
  const forced = child(squeezenetIn({ backend: 'simd-threads', numThreads: 1 }));
  assert.deepEqual(forced.info, { build: 'simd-threads', threads: 1, simd: true, crossOriginIsolated: false });
  const simd = child(squeezenetIn({ backend: 'simd' }));
  assert.deepEqual(forced.y, simd.y);
});

test('a Worker that cannot be created: runs stay on the calling thread, correct, and never hang', () => {
  // Workers are created by a model's first run, where creating one can throw (e.g. a page whose
  // worker script is cross-origin). The thread is refused (EAGAIN) instead of being left
  // half-started with the pool locked, which would hang the next run.
  const failing = child(`
  await litecnn.init({ numThreads: 2 });
  globalThis.Worker = class { constructor() { throw new Error('no Workers here'); } };
  const model = await litecnn.loadModel(${JSON.stringify(SQUEEZENET)});
  const x = Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => ((i * 7919) % 1000) / 500 - 1);
  out.runs = [];
  for (let i = 0; i < 3; i++) {
    const y = await model.run({ [model.inputs[0].name]: new litecnn.Tensor(x, [1, 3, 224, 224]) });
    out.runs.push(Array.from(y[model.outputs[0].name].data));
  }`);
  assert.equal(failing.error, undefined, JSON.stringify(failing.error));
  const simd = child(squeezenetIn({ backend: 'simd' }));
  assert.equal(failing.runs.length, 3);
  for (const y of failing.runs) assert.deepEqual(y, simd.y);
});

for (const entry of loadManifest().models) {
  test(`${entry.name}: 1, 2 and 3 threads give bit-identical outputs`, async () => {
    const bytes = readModelBytes(entry);
    const dims = entry.inputs[0].dims;
    const one = await runModel(bytes, 1, dims);
    assert.equal(one.numThreads, 1);
    for (const t of [2, 3]) {
      const got = await runModel(bytes, t, dims);
      assert.equal(got.numThreads, t);
      assert.deepEqual(got.out, one.out, `${t} threads`);
    }
  });
}

test('numThreads must be a positive integer', async () => {
  for (const bad of [0, -1, 1.5, '2', null]) {
    await assert.rejects(litecnn.loadModel(SQUEEZENET, { numThreads: bad }),
      (e) => e.code === 'InvalidArgument' && /options\.numThreads must be a positive integer/.test(e.message), String(bad));
  }
});

test('init options are checked: backend names and pool sizes', () => {
  const bad = child(`await litecnn.init({ backend: 'gpu' });`);
  assert.equal(bad.error?.code, 'InvalidArgument');
  assert.match(bad.error.message, /options\.backend must be one of "simd-threads", "simd", "plain", got "gpu"/);
  const pool = child(`await litecnn.init({ numThreads: 0 });`);
  assert.match(pool.error?.message, /options\.numThreads must be an integer from 1 to 16, got 0/);
});

test('the single-threaded SIMD build gives the same bits as the threads build', () => {
  const simd = child(squeezenetIn({ backend: 'simd' }));
  const threads = child(squeezenetIn({ numThreads: 2 }));
  assert.deepEqual(simd.info, { build: 'simd', threads: 1, simd: true, crossOriginIsolated: false });
  assert.equal(threads.info.build, 'simd-threads');
  assert.deepEqual(simd.y, threads.y);
});

function assertClose(got, ref, what) {
  const scale = maxAbs(ref);
  const diff = maxAbsDiff(got, ref);
  assert.ok(diff <= 1e-4 * scale, `${what}: max diff ${diff} vs max |ref| ${scale}`);
}

test('a forced plain build (no SIMD) runs and agrees with the SIMD build', () => {
  const plain = child(squeezenetIn({ backend: 'plain' }));
  const simd = child(squeezenetIn({ backend: 'simd' }));
  assert.equal(plain.error, undefined, JSON.stringify(plain.error));
  assert.deepEqual(plain.info, { build: 'plain', threads: 1, simd: false, crossOriginIsolated: false });
  assertClose(plain.y, simd.y, 'plain vs simd');
});

test('an engine without WebAssembly SIMD gets the plain build; forcing a SIMD build says why not', () => {
  // Simulates an old engine: the probe module does not validate.
  const out = child(`WebAssembly.validate = () => false;\nout.simd = litecnn.simdSupported();\n${squeezenetIn({})}`);
  assert.equal(out.simd, false);
  assert.equal(out.info.build, 'plain');
  const simd = child(squeezenetIn({ backend: 'simd' }));
  assertClose(out.y, simd.y, 'plain vs simd');
  const forced = child(`WebAssembly.validate = () => false;\nawait litecnn.init({ backend: 'simd' });`);
  assert.equal(forced.error?.code, 'Unsupported');
  assert.match(forced.error.message, /backend "simd" needs WebAssembly SIMD/);
});

test('the browser entry in Node has no worker_threads: single-threaded SIMD, threads refused', () => {
  const browserEntry = pathToFileURL(join(REPO_ROOT, 'web/src/index.js')).href;
  const wasm = join(REPO_ROOT, 'web/dist/litecnn.wasm');
  const out = child(`
    const { readFileSync } = await import('node:fs');
    await litecnn.init({ wasmUrl: 'data:application/wasm;base64,' + readFileSync(${JSON.stringify(wasm)}).toString('base64') });
    out.info = await litecnn.backendInfo();`, browserEntry);
  assert.equal(out.info?.build, 'simd', JSON.stringify(out));
  const forced = child(`await litecnn.init({ backend: 'simd-threads' });`, browserEntry);
  assert.equal(forced.error?.code, 'Unsupported');
  assert.match(forced.error.message, /needs SharedArrayBuffer/);
});

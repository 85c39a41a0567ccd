// The three runtimes behind one small interface, so the timing loop, the cold-load/memory
// child (bench/mem_child.mjs) and the kernel benchmark treat them alike:
//
//   const rt = RUNTIMES.litecnn;         // or .ort, .tfjs
//   await rt.init();                      // instantiate the wasm module (once per process)
//   const s = await rt.load(bytes, entry); // entry: the model's manifest.json entry
//   const feeds = s.prepare({input: f32}); // ONNX-layout data -> what run() takes (not timed)
//   const out = await s.run(feeds);       // {outputName: {data, dims}}, timed
//   await s.dispose();
//
// What a timed run() includes, for every runtime: copying the input into the runtime, the
// inference, and copying the outputs back to JS-owned Float32Arrays. TF.js gets its input in
// NHWC (its native layout; transposed once in prepare(), outside timing), the others NCHW.

import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(BENCH_DIR, '..');

// Not require.resolve(`${name}/package.json`): onnxruntime-web's "exports" does not list it.
const pkgVersion = (name) => JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;

// --- litecnn ------------------------------------------------------------------------------

let litecnnMod = null;
const litecnn = {
  name: 'litecnn',
  label: 'litecnn',
  // The single-threaded SIMD build by default (bench/run.mjs's main table: 1 thread, as for
  // ORT and TF.js); bench/threads_child.mjs asks for the threads build.
  async init(options = { backend: 'simd' }) {
    litecnnMod = await import('../web/src/node.js');
    this.module = await litecnnMod.init(options);
  },
  backendInfo() {
    return litecnnMod.backendInfo();
  },
  version() {
    const v = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version;
    return `${v} (web/dist/litecnn.wasm)`;
  },
  /** Same number as the public wasmMemoryBytes(), read synchronously (init() is done). */
  wasmHeapBytes() {
    return this.module?.HEAP8?.buffer?.byteLength ?? null;
  },
  async load(bytes, entry, options = {}) {
    const model = await litecnnMod.loadModel(bytes, options);
    return {
      inputs: model.inputs.map((i) => ({ name: i.name, dims: [...i.dims] })),
      prepare: (feeds) => Object.fromEntries(model.inputs.map((i) =>
        [i.name, new litecnnMod.Tensor(feeds[i.name], [...i.dims])])),
      async run(prepared) {
        const out = await model.run(prepared);
        return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { data: t.data, dims: [...t.dims] }]));
      },
      async dispose() { model.dispose(); },
    };
  },
};

// --- onnxruntime-web (wasm EP, 1 thread unless init() says otherwise) ----------------------

let ort = null;
const ortRt = {
  name: 'ort',
  label: 'ORT-web',
  async init({ numThreads = 1 } = {}) {
    ort = await import('onnxruntime-web');
    ort.env.wasm.numThreads = numThreads;
    ort.env.wasm.simd = true;
    ort.env.logLevel = 'error';
    // ORT instantiates its wasm on the first session: do that here with a 1-node model so
    // load() measures session creation only.
    const { reluModel } = await import('../tests/node/onnx_encode.mjs');
    const s = await ort.InferenceSession.create(reluModel([1, 4]), { executionProviders: ['wasm'] });
    await s.release();
  },
  version() {
    return ort?.env?.versions?.web ?? pkgVersion('onnxruntime-web');
  },
  wasmHeapBytes() {
    return null;  // not exposed; the child process observes it through WebAssembly hooks
  },
  async load(bytes, entry) {
    const session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['wasm'], graphOptimizationLevel: 'all', logSeverityLevel: 3 });
    const meta = session.inputMetadata ?? [];
    return {
      inputs: session.inputNames.map((name, k) => ({ name, dims: meta[k]?.shape ?? null })),
      prepare: (feeds) => Object.fromEntries(entry.inputs.map((i) =>
        [i.name, new ort.Tensor('float32', feeds[i.name], i.dims)])),
      async run(prepared) {
        const out = await session.run(prepared);
        return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { data: t.data, dims: [...t.dims] }]));
      },
      async dispose() { await session.release(); },
    };
  },
};

// --- TensorFlow.js wasm backend (XNNPACK, SIMD, 1 thread) ---------------------------------

let tf = null;
let tfWasm = null;
const tfjs = {
  name: 'tfjs',
  label: 'TF.js-wasm',
  async init() {
    tf = await import('@tensorflow/tfjs-core');
    tfWasm = await import('@tensorflow/tfjs-backend-wasm');
    // Node: the emscripten loader reads the .wasm with fs from this directory (no need to hand
    // it the bytes). Node has no wasm threads in tfjs (WASM_HAS_MULTITHREAD_SUPPORT is false
    // under IS_NODE), so it picks tfjs-backend-wasm-simd.wasm; setThreadsCount(1) pins XNNPACK.
    tfWasm.setWasmPaths(join(REPO_ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + '/');
    tfWasm.setThreadsCount(1);
    if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed');
    await tf.ready();
    this.flags = {
      WASM_HAS_SIMD_SUPPORT: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
      WASM_HAS_MULTITHREAD_SUPPORT: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
      threads: tfWasm.getThreadsCount(),
    };
    this.wasmFile = this.flags.WASM_HAS_SIMD_SUPPORT
      ? (this.flags.WASM_HAS_MULTITHREAD_SUPPORT ? 'tfjs-backend-wasm-threaded-simd.wasm' : 'tfjs-backend-wasm-simd.wasm')
      : 'tfjs-backend-wasm.wasm';
    this.tf = tf;
  },
  version() {
    return `tfjs-core ${tf?.version_core ?? pkgVersion('@tensorflow/tfjs-core')}, ` +
      `tfjs-backend-wasm ${tfWasm?.version_wasm ?? pkgVersion('@tensorflow/tfjs-backend-wasm')}`;
  },
  wasmHeapBytes() {
    return tf?.backend()?.wasm?.HEAPU8?.buffer?.byteLength ?? null;
  },
  async load(bytes) {
    const { tfjsFromOnnx } = await import('./tfjs_from_onnx.mjs');
    const net = await tfjsFromOnnx(tf, bytes);
    return {
      net,
      inputs: net.inputs.map((i) => ({ name: i.name, dims: i.dims })),
      prepare: (feeds) => Object.fromEntries(net.inputs.map((i) => [i.name, i.toTf(feeds[i.name])])),
      run: (prepared) => net.predict(prepared),
      async dispose() { net.dispose(); },
    };
  },
};

export const RUNTIMES = { litecnn, ort: ortRt, tfjs };
export const RUNTIME_ORDER = ['litecnn', 'ort', 'tfjs'];


// litecnn's JavaScript API (ES module): the browser entry, and the core of the Node entry
// (node.js, which adds file access; package.json's exports pick one by condition).
//
//   import { loadModel, Tensor } from 'litecnn';
//   const model = await loadModel('models/generated/squeezenet1_1.onnx');
//   const out = await model.run({ [model.inputs[0].name]: new Tensor(data, [1, 3, 224, 224]) });
//   model.dispose();
//
// Division of labour: the Embind layer (src/bindings/bindings.cc) only translates values, so
// every argument check and every option default lives here, with messages that say what was
// expected. Native failures (malformed model, unsupported op) arrive as {ok:false, code,
// message} results and are rethrown as LitecnnError with the same code; anything else a call
// into wasm throws (an engine bug) becomes LitecnnError 'Internal' (errors.js, callNative).

import { LitecnnError, callNative, fail } from './errors.js';
import { imageToTensor } from './image.js';
import { splitOnnx } from './onnx_split.js';
import { platform } from './platform.js';

const isNode =
  typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';

// Element types a Tensor can hold, keyed by litecnn's dtype names (DataTypeName in C++).
const TYPED_ARRAYS = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int32: Int32Array,
  int64: BigInt64Array,
};

function describe(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value !== 'object' && typeof value !== 'function') return typeof value;
  return value.constructor?.name ?? 'object';
}

const dimsText = (dims) => `[${dims.join(', ')}]`;

function dtypeOf(data) {
  for (const [dtype, ctor] of Object.entries(TYPED_ARRAYS)) {
    // Exact constructor match: a Buffer (a Uint8Array subclass) still counts as uint8.
    if (data instanceof ctor) return dtype;
  }
  return undefined;
}

function checkDims(dims, what) {
  if (!Array.isArray(dims)) fail(`${what}: dims must be an array of integers, got ${describe(dims)}`);
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) {
      fail(`${what}: dims must be non-negative integers, got ${dimsText(dims)}`);
    }
  }
  return dims.reduce((n, d) => n * d, 1);
}

/** A dense, row-major tensor: a typed array plus its dims (ONNX order, e.g. NCHW). */
export class Tensor {
  constructor(data, dims) {
    const dtype = dtypeOf(data);
    if (dtype === undefined) {
      fail(`Tensor data must be a typed array such as Float32Array, got ${describe(data)}`);
    }
    const count = checkDims(dims, 'Tensor');
    if (count !== data.length) {
      fail(`Tensor data has ${data.length} elements but dims ${dimsText(dims)} need ${count}`);
    }
    this.data = data;
    this.dims = Object.freeze([...dims]);
    this.dtype = dtype;
  }

  get size() {
    return this.data.length;
  }
}

// --- the wasm module: instantiated once, lazily, shared by every Model -------------------------

let wasmPromise = null;
let readyModule = null;  // the module once wasmPromise has resolved
let chosen = null;  // backendInfo() once the module is ready

// The smallest module that uses a SIMD128 instruction (i8x16.popcnt): it validates only where
// wasm SIMD is supported (Chrome 91+, Firefox 89+, Safari 16.4+, Node 16.4+).
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

// One turn of the event loop (a macrotask, not a microtask): lets the threads build's booting
// Workers deliver their 'loaded' message (see workersStarting in src/bindings/threads_pre.js).
// In browsers a MessageChannel message, not setTimeout, which chained runs would clamp to 4 ms.
const nextTask = () => new Promise((resolve) => {
  if (typeof setImmediate === 'function') {
    setImmediate(resolve);
    return;
  }
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    resolve();
  };
  channel.port2.postMessage(null);
});
// A Worker that never boots (its script failed to load) would keep workersStarting() true:
// runs stop yielding for it this long after the first yield.
const WORKER_BOOT_WAIT_MS = 10_000;
let firstBootYield = null;
function workersBooting() {
  if (!readyModule?.workersStarting?.()) return false;
  firstBootYield ??= performance.now();
  return performance.now() - firstBootYield < WORKER_BOOT_WAIT_MS;
}

/** Whether this JS engine runs WebAssembly SIMD128 (else litecnn uses its plain build). */
export function simdSupported() {
  return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
}

// The builds (scripts/build.sh), best first; a page imports only the chosen one. Literal
// specifiers, so bundlers see them.
const BUILDS = {
  'simd-threads': { file: 'litecnn-mt', simd: true, threads: true, load: () => import('../dist/litecnn-mt.mjs') },
  simd: { file: 'litecnn', simd: true, threads: false, load: () => import('../dist/litecnn.mjs') },
  plain: { file: 'litecnn-plain', simd: false, threads: false, load: () => import('../dist/litecnn-plain.mjs') },
};
// Default pool: the cores, at most 4 (each worker holds a wasm instance; small layers gain
// little from more).
const MAX_DEFAULT_THREADS = 4;

// SharedArrayBuffer: in browsers only on cross-origin isolated pages (COOP + COEP headers); in
// Node through the Node entry, which provides require() for worker_threads.
function threadsAllowed() {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  if (isNode) return platform.require !== null;
  return globalThis.crossOriginIsolated === true;
}

const threadCountOk = (n, max = Infinity) => n === undefined || (Number.isSafeInteger(n) && n >= 1 && n <= max);
const shown = (v) => (typeof v === 'string' ? `'${v}'` : typeof v === 'number' ? v : describe(v));

function cores() {
  const n = isNode ? platform.cores?.() : globalThis.navigator?.hardwareConcurrency;
  return Number.isSafeInteger(n) && n > 0 ? n : 1;
}

// The best build for a pool of `threads` (one gains nothing from shared memory), or the forced one.
function chooseBuild(forced, threads) {
  const simd = simdSupported();
  const allowed = threadsAllowed();
  if (forced !== undefined) {
    const build = BUILDS[forced];
    if (build.simd && !simd) {
      fail(`init: backend '${forced}' needs WebAssembly SIMD, which this engine lacks`, 'Unsupported');
    }
    if (build.threads && !allowed) {
      fail(`init: backend '${forced}' needs SharedArrayBuffer (${isNode ? 'the Node entry' : 'COOP/COEP headers'})`, 'Unsupported');
    }
    return forced;
  }
  if (simd && allowed && threads > 1) return 'simd-threads';
  return simd ? 'simd' : 'plain';
}

async function instantiateWasm(backend, wasmUrl, threads) {
  const { file, load, simd, threads: threaded } = BUILDS[backend];
  let factory;
  try {
    ({ default: factory } = await load());
  } catch (cause) {
    throw new LitecnnError(
      `cannot import the wasm module web/dist/${file}.mjs (build it with "npm run build"): ` +
        cause.message,
      'FailedPrecondition',
      { cause },
    );
  }
  if (!threaded) threads = 1;
  const options = {
    // An abort() is reported as a LitecnnError 'Internal' (errors.js): not also on the console.
    printErr: (text) => {
      if (!String(text).startsWith('Aborted(')) console.warn(text);
    },
  };
  const where = wasmUrl ?? new URL(`../dist/${file}.wasm`, import.meta.url);
  if (isNode) {
    // emscripten 3.1.6's own Node loader needs require() and fetch() of a file: URL, neither
    // of which works from an ES module under Node 20, so hand it the bytes: from a path or a
    // file: URL on disk, from an http(s) URL by fetch.
    const url = where instanceof URL ? where : parseUrl(where);
    if (url !== null && FETCHED_PROTOCOLS.includes(url.protocol)) {
      options.wasmBinary = await fetchBytes(url, undefined, 'the wasm file');
    } else {
      const path = url?.protocol === 'file:' ? url : where;
      options.wasmBinary = await readNodeFile(path, String(where), 'the wasm', 'FailedPrecondition');
    }
    if (threaded) options.nodeRequire = platform.require;  // for worker_threads
  } else {
    // Bundlers that move the .wasm can be pointed at it with init({ wasmUrl }); the worker
    // script is next to the module.
    options.locateFile = (file) => (file.endsWith('.wasm') ? String(where) : new URL(`../dist/${file}`, import.meta.url).href);
  }
  const module = await factory(options);
  // The threads build creates its Workers when a model first runs; this caps them (the caller
  // is the other thread).
  if (threaded) {
    module.setThreadLimit(threads - 1);
    module.prepareWorkers(isNode);  // guards Worker creation; in Node, Workers must not keep the process alive
  }
  chosen = Object.freeze({ build: backend, threads, simd, crossOriginIsolated: globalThis.crossOriginIsolated === true });
  return module;
}

/**
 * Instantiates the shared wasm module (loadModel does this on first use); only the first call's
 * options count. backend: force 'simd-threads' | 'simd' | 'plain' (rejects 'Unsupported' if it
 * cannot run here). numThreads: the threads build's pool incl. the caller (default: cores, at
 * most 4; 1 picks a single-threaded build). wasmUrl: the chosen build's .wasm if moved.
 */
export function init(options = {}) {
  if (options === null || typeof options !== 'object') {
    return Promise.reject(new LitecnnError(`init: options must be an object, got ${describe(options)}`));
  }
  const { wasmUrl, backend, numThreads } = options;
  if (wasmUrl !== undefined && typeof wasmUrl !== 'string' && !(wasmUrl instanceof URL)) {
    return Promise.reject(new LitecnnError(`init: options.wasmUrl must be a URL or a string, got ${describe(wasmUrl)}`));
  }
  if (backend !== undefined && !Object.hasOwn(BUILDS, backend)) {
    return Promise.reject(new LitecnnError(
      `init: options.backend must be one of ${Object.keys(BUILDS).map((b) => `'${b}'`).join(', ')}, got ${shown(backend)}`));
  }
  if (!threadCountOk(numThreads, 16)) {
    return Promise.reject(new LitecnnError(`init: options.numThreads must be an integer from 1 to 16, got ${shown(numThreads)}`));
  }
  if (wasmPromise === null) {
    const threads = numThreads ?? Math.min(cores(), MAX_DEFAULT_THREADS);
    wasmPromise = (async () => instantiateWasm(chooseBuild(backend, threads), wasmUrl, threads))();
    wasmPromise.then((module) => {
      readyModule = module;
    }, () => {});
    // A failed instantiation (e.g. module not built yet) may be retried by a later call.
    wasmPromise.catch(() => {
      wasmPromise = null;
    });
  }
  return wasmPromise;
}

/** {build, threads (a model's default), simd, crossOriginIsolated}; initialises the module. */
export async function backendInfo() {
  await init();
  return chosen;
}

/**
 * Size in bytes of the wasm memory (the heap all models share). It only grows: wasm memory
 * cannot shrink, but freed space is reused by later loads.
 */
export async function wasmMemoryBytes() {
  const module = await init();
  return module.HEAP8.buffer.byteLength;
}

/**
 * {wasmMemoryBytes, heapBytesInUse}: the wasm memory size (what the page pays; never shrinks)
 * and the bytes currently allocated in it (returns to its level once models are disposed).
 */
export async function memoryStats() {
  const module = await init();
  return { wasmMemoryBytes: module.HEAP8.buffer.byteLength, heapBytesInUse: module.heapBytesInUse() };
}

// --- sources ---------------------------------------------------------------------------------

// onProgress(loadedBytes, totalBytes) after every chunk; totalBytes is the Content-Length, or
// 0 while unknown (a compressed or chunked response), and equals loadedBytes on the last call.
async function fetchBytes(url, onProgress, what = 'model') {
  let response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new LitecnnError(`could not fetch ${what} from ${url}: ${cause.message}`, 'InvalidArgument', {
      cause,
    });
  }
  if (!response.ok) {
    fail(`could not fetch ${what} from ${url}: HTTP ${response.status} ${response.statusText}`);
  }
  const length = Number(response.headers.get('content-length'));
  // Compressed responses stream more bytes than Content-Length says: then the total is unknown.
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  const total = Number.isSafeInteger(length) && length > 0 && !encoded ? length : 0;
  if (!onProgress || !response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.(bytes.length, bytes.length);
    return bytes;
  }
  const chunks = [];
  let loaded = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    if (loaded < total) onProgress(loaded, total);
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  onProgress(loaded, loaded);
  return bytes;
}

// Node only. index.js is the browser entry: files need node.js, which `import 'litecnn'`
// resolves to in Node (a direct import of web/src/index.js bypasses it).
function checkNodeEntry(what) {
  if (platform.readFile === null) {
    fail(`cannot read ${what} from the file system: import litecnn by its package name in Node, whose ` +
      `"node" export (web/src/node.js) adds file access; web/src/index.js is the browser entry`,
    'FailedPrecondition');
  }
}

async function readNodeFile(pathOrUrl, shown, what = 'model', code = 'InvalidArgument') {
  checkNodeEntry(`${what} file ${shown}`);
  try {
    return await platform.readFile(pathOrUrl);
  } catch (cause) {
    throw new LitecnnError(`cannot read ${what} file ${shown}: ${cause.message}`, code, { cause });
  }
}

// URLs that Node's fetch() can read (file: URLs go through the file system).
const FETCHED_PROTOCOLS = ['http:', 'https:', 'data:', 'blob:'];

function parseUrl(text) {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

// The bytes of an ArrayBuffer or typed array source, not copied; null for other sources.
function inMemoryView(source) {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return null;
}

// In-memory sources are copied before the first await, so the caller may reuse its buffer as
// soon as loadModel() returns its promise. `what` names the thing in messages ('model', 'labels').
async function sourceBytes(source, onProgress, what = 'model') {
  const whole = (bytes) => {
    onProgress?.(bytes.length, bytes.length);
    return bytes;
  };
  const view = inMemoryView(source);
  if (view !== null) return whole(view.slice());
  // Blob and File (drag-and-drop, <input type=file>); Node 20 has Blob too.
  if (typeof Blob === 'function' && source instanceof Blob) {
    return whole(new Uint8Array(await source.arrayBuffer()));
  }
  if (source instanceof URL) {
    return isNode && source.protocol === 'file:'
      ? whole(await readNodeFile(source, source.href, what))
      : fetchBytes(source, onProgress, what);
  }
  if (typeof source !== 'string') {
    fail(`loadModel: ${what} source must be a Uint8Array, ArrayBuffer, Blob, URL or string, got ${describe(source)}`);
  }
  if (source === '') fail(`loadModel: ${what} source is an empty string`);
  if (!isNode) return fetchBytes(source, onProgress, what);  // relative URLs resolve against the page

  // Node: an existing file wins (a Windows path like C:\m.onnx also parses as a URL), then a
  // fetchable URL; anything else is reported as neither.
  checkNodeEntry(`${what} "${source}"`);
  const info = await platform.stat(source);
  if (info?.isFile()) return whole(await readNodeFile(source, source, what));
  const url = parseUrl(source);
  if (url?.protocol === 'file:') return whole(await readNodeFile(url, source, what));
  if (url !== null && FETCHED_PROTOCOLS.includes(url.protocol)) {
    return fetchBytes(url, onProgress, what);
  }
  fail(
    info?.isDirectory()
      ? `loadModel: ${source} is a directory, not a ${what} file`
      : `loadModel: ${what} "${source}" is neither an existing file nor a fetchable http(s)/data URL`,
  );
}

// options.labels: an array of class names, or a source (as for models) of a text file with one
// name per line.
async function loadLabels(labels) {
  if (labels === undefined || labels === null) return null;
  if (Array.isArray(labels)) {
    const bad = labels.findIndex((l) => typeof l !== 'string');
    if (bad >= 0) fail(`loadModel: options.labels[${bad}] must be a string, got ${describe(labels[bad])}`);
    return Object.freeze([...labels]);
  }
  const bytes = await sourceBytes(labels, undefined, 'labels');
  const lines = new TextDecoder().decode(bytes).split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return Object.freeze(lines.map((l) => l.trim()));
}

// --- models ----------------------------------------------------------------------------------

// loadModel's options.limits, as named in C++ (core/limits.h, which holds the defaults) and in
// the LimitExceeded messages that name the limit a model went over.
const LIMIT_NAMES = ['maxModelBytes', 'maxNodes', 'maxRank', 'maxTensorElements', 'maxPlannedBytes'];

function checkLimitsOption(limits) {
  if (limits === undefined) return {};
  if (limits === null || typeof limits !== 'object' || Array.isArray(limits)) {
    fail(`loadModel: options.limits must be an object {${LIMIT_NAMES.join(', ')}}, got ${describe(limits)}`);
  }
  const checked = {};
  for (const [name, value] of Object.entries(limits)) {
    if (!LIMIT_NAMES.includes(name)) {
      fail(`loadModel: unknown limit "${name}"; the limits are ${LIMIT_NAMES.join(', ')}`);
    }
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      fail(`loadModel: options.limits.${name} must be a positive integer, got ${typeof value === 'number' ? value : describe(value)}`);
    }
    checked[name] = value;
  }
  return checked;
}

function freezeInfos(infos) {
  return Object.freeze(
    infos.map(({ name, dtype, dims }) => Object.freeze({ name, dtype, dims: Object.freeze(dims) })),
  );
}

function checkInputDimsOption(inputDims) {
  if (inputDims === undefined) return [];
  if (inputDims === null || typeof inputDims !== 'object' || Array.isArray(inputDims)) {
    fail(`loadModel: options.inputDims must be an object {inputName: dims}, got ${describe(inputDims)}`);
  }
  return Object.entries(inputDims).map(([name, dims]) => {
    checkDims(dims, `loadModel: options.inputDims["${name}"]`);
    return { name, dims: [...dims] };
  });
}

// Safety net for models that are dropped without dispose(): their native memory is freed when
// the Model is garbage-collected. dispose() stays the way to free it at a known time (GC may run
// late, or never, while the page is busy).
const unreleased =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((native) => deleteNative(readyModule, native))
    : null;

// Images (ImageData, {data, width, height}, DOM images/canvases/videos/frames) as opposed to
// tensors ({data, dims}) and feeds objects ({inputName: Tensor}).
function isImage(value) {
  if (value === null || typeof value !== 'object' || value instanceof Tensor || 'dims' in value) return false;
  return 'width' in value || 'naturalWidth' in value || 'videoWidth' in value || 'displayWidth' in value;
}

// Class scores from a model's output: used as they are when they already form a probability
// distribution (the model ends in Softmax), else softmax of the logits.
function toProbabilities(values) {
  const scores = Float64Array.from(values, Number);
  let sum = 0;
  let inRange = true;
  for (const v of scores) {
    sum += v;
    inRange = inRange && v >= 0 && v <= 1;
  }
  if (inRange && Math.abs(sum - 1) < 1e-3) return scores;
  const max = scores.reduce((m, v) => Math.max(m, v), -Infinity);
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    scores[i] = Math.exp(scores[i] - max);
    total += scores[i];
  }
  for (let i = 0; i < scores.length; i++) scores[i] /= total;
  return scores;
}

/**
 * A loaded model. Create with loadModel(); free its wasm memory with dispose().
 * inputs/outputs: [{name, dtype, dims}] (dims of -1 are symbolic); labels: class names or null.
 */
class Model {
  #native;
  #broken = null;  // the LitecnnError 'Internal' that left the native model in an unknown state
  #queue = Promise.resolve();
  constructor(native, labels, numThreads) {
    this.#native = native;
    this.numThreads = numThreads;
    this.inputs = freezeInfos(callNative(readyModule, 'loadModel', () => native.inputs()));
    this.outputs = freezeInfos(callNative(readyModule, 'loadModel', () => native.outputs()));
    this.labels = labels;
    unreleased?.register(this, native, this);
  }

  /**
   * The nodes as they run (after fusion: a Conv with its activation, a Fire module, ...):
   * [{name, op, kernel, macs}], macs = multiply-adds per run. For `litecnn info` and tools.
   */
  summary() {
    this.#checkAlive('summary');
    return callNative(readyModule, 'summary', () => this.#native.summary());
  }

  get disposed() {
    return this.#native === null;
  }

  #checkAlive(what) {
    if (this.#native === null) fail(`${what}: the model was disposed`, 'FailedPrecondition');
    // A failure inside the engine may have left this model half-run: refuse it rather than
    // compute from it. Other models, and new ones, are unaffected.
    if (this.#broken !== null) {
      throw new LitecnnError(`${what}: the model is unusable after an internal error (${this.#broken.message}); ` +
        'dispose it and load it again', 'FailedPrecondition', { cause: this.#broken });
    }
  }

  // Checks feeds against inputs and returns the bindings' [{name, data, dims}] array.
  #prepare(feeds) {
    if (feeds === null || typeof feeds !== 'object' || Array.isArray(feeds) || feeds instanceof Tensor) {
      fail(`run: expected an object {inputName: Tensor}, got ${describe(feeds)}`);
    }
    const validNames = this.inputs.map((i) => `"${i.name}"`).join(', ');
    for (const name of Object.keys(feeds)) {
      if (!this.inputs.some((i) => i.name === name)) {
        fail(`run: unknown input "${name}"; the model's inputs are ${validNames}`);
      }
    }
    return this.inputs.map(({ name, dtype, dims: expected }) => {
      const what = `run: input "${name}"`;
      if (!Object.hasOwn(feeds, name)) {
        fail(`run: missing input "${name}" (dims ${dimsText(expected)}); the model's inputs are ${validNames}`);
      }
      const value = feeds[name];
      if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) {
        fail(`${what} must be a Tensor or {data, dims}, got ${describe(value)}`);
      }
      const { data, dims } = value;
      // Only float32 crosses the bindings today; every CNN input litecnn targets is float32.
      if (dtype !== 'float32') fail(`${what} has dtype ${dtype}, which litecnn cannot feed yet`, 'Unsupported');
      if (!(data instanceof Float32Array)) {
        fail(`${what}: data must be a Float32Array, got ${describe(data)}`);
      }
      const count = checkDims(dims, what);
      const fits = dims.length === expected.length && dims.every((d, i) => expected[i] < 0 || d === expected[i]);
      if (!fits) fail(`${what}: expected dims ${dimsText(expected)}, got ${dimsText(dims)}`);
      if (count !== data.length) {
        fail(`${what}: data has ${data.length} elements but dims ${dimsText(dims)} need ${count}`);
      }
      return { name, data, dims: [...dims] };
    });
  }

  /**
   * Runs the model: feeds maps every input name to a Tensor (or {data: Float32Array, dims}).
   * Input data are copied when run() is called. Resolves to {outputName: Tensor} whose data
   * are JS-owned copies. Calls on one model are queued and run one at a time, in call order.
   */
  run(feeds) {
    return this.#enqueue(feeds, 'run', (r) => this.#outputs(r));
  }

  /**
   * Runs the model like run() and also times every executed node (after fusion, so a 'Conv'
   * includes its fused activation). Resolves to {outputs, layers: [{name, op, kernel, ms}]}.
   */
  profile(feeds) {
    return this.#enqueue(feeds, 'profile', (r) => ({ outputs: this.#outputs(r), layers: r.profile }));
  }

  /**
   * Runs a classifier and resolves to its top classes, best first: [{index, label, score}].
   * input: an image (anything imageToTensor takes: it is resized to the model's input), a
   * Tensor (or {data, dims}) for the model's single input, or a feeds object as for run().
   * options: topK (default 5), labels (default: the model's), output (default: the first
   * output), and for images imageToTensor's fit / mean / std / scale / offset / channels / fill.
   * Scores are probabilities: softmax of the output unless it already is one.
   */
  async classify(input, options = {}) {
    if (options === null || typeof options !== 'object') {
      fail(`classify: options must be an object, got ${describe(options)}`);
    }
    const { topK = 5, labels = this.labels, output = this.outputs[0]?.name, ...imageOptions } = options;
    if (isImage(input)) input = await this.#imageInput(input, imageOptions);
    else if (Object.keys(imageOptions).length > 0) {
      fail(`classify: unknown option "${Object.keys(imageOptions)[0]}" (image options apply to images only)`);
    }
    if (!Number.isInteger(topK) || topK < 1) fail(`classify: topK must be a positive integer, got ${describe(topK)}`);
    if (labels !== null && !Array.isArray(labels)) fail(`classify: labels must be an array of strings, got ${describe(labels)}`);
    if (!this.outputs.some((o) => o.name === output)) {
      fail(`classify: unknown output "${output}"; the model's outputs are ${this.outputs.map((o) => `"${o.name}"`).join(', ')}`);
    }
    const single = input instanceof Tensor || (input !== null && typeof input === 'object' && 'data' in input && 'dims' in input);
    if (single && this.inputs.length !== 1) {
      fail(`classify: the model has ${this.inputs.length} inputs; pass a feeds object {inputName: Tensor}`);
    }
    const outputs = await this.run(single ? { [this.inputs[0].name]: input } : input);
    const probabilities = toProbabilities(outputs[output].data);
    return Array.from(probabilities, (score, index) => ({ index, score }))
      .sort((a, b) => b.score - a.score)
      .slice(0, topK)
      .map(({ index, score }) => ({ index, label: labels?.[index] ?? `class ${index}`, score }));
  }

  // The model's single [1, 3, H, W] (or [1, H, W, 3]) input, from an image.
  async #imageInput(image, imageOptions) {
    const dims = this.inputs.length === 1 ? this.inputs[0].dims : [];
    const nhwc = dims.length === 4 && dims[3] === 3 && dims[1] !== 3;
    const [height, width] = nhwc ? [dims[1], dims[2]] : [dims[2], dims[3]];
    if (dims.length !== 4 || (nhwc ? dims[3] : dims[1]) !== 3 || !(height > 0 && width > 0)) {
      fail(`classify: an image needs a model with one [1, 3, H, W] or [1, H, W, 3] input of fixed size, ` +
        `this one has ${this.inputs.map((i) => dimsText(i.dims)).join(', ')}; pass a Tensor instead`);
    }
    return imageToTensor(image, { ...imageOptions, width, height, layout: nhwc ? 'nhwc' : 'nchw' });
  }

  #outputs(r) {
    return Object.fromEntries(r.outputs.map((o) => [o.name, new Tensor(o.data, o.dims)]));
  }

  #enqueue(feeds, method, finish) {
    let inputs;
    try {
      this.#checkAlive(method);
      inputs = this.#prepare(feeds);
    } catch (error) {
      return Promise.reject(error);
    }
    // Snapshot the data now: the run may wait behind others, and callers commonly refill one
    // buffer per frame as soon as run() returns. (Cheap next to the inference itself.)
    for (const input of inputs) input.data = input.data.slice();
    // The native Model is not re-entrant; chaining keeps runs strictly serial even once the
    // native call becomes asynchronous (e.g. moved to a worker).
    const result = this.#queue.then(async () => {
      if (workersBooting()) await nextTask();
      this.#checkAlive(method);  // dispose() may have come while this run was queued
      let r;
      try {
        r = callNative(readyModule, method, () => this.#native[method](inputs));
      } catch (error) {
        if (error.code === 'Internal') this.#broken = error;
        throw error;
      }
      if (!r.ok) throw new LitecnnError(`${method} failed: ${r.code}: ${r.message}`, r.code);
      return finish(r);
    });
    this.#queue = result.catch(() => {});
    return result;
  }

  /** Frees the model's wasm memory. Later run() calls reject; a second dispose() is a no-op. */
  dispose() {
    if (this.#native === null) return;
    unreleased?.unregister(this);
    deleteNative(readyModule, this.#native);
    this.#native = null;
  }
}

/**
 * Loads an ONNX model.
 * source: Uint8Array | ArrayBuffer | Blob/File | URL | string (a file path in Node, else a URL
 * to fetch).
 * options.inputDims: {inputName: dims} fixes symbolic input dims (others become 1).
 * options.onProgress(loadedBytes, totalBytes): download progress (totalBytes 0 while unknown).
 * options.labels: class names (array), or a text file / URL with one name per line.
 * options.limits: {maxModelBytes, maxNodes, maxRank, maxTensorElements, maxPlannedBytes}
 *   (defaults in README "Hostile input"); a model over one is refused with 'LimitExceeded'.
 * options.numThreads: threads per run (default and maximum: backendInfo().threads); outputs
 *   are bit-identical for every count.
 */
export async function loadModel(source, options = {}) {
  if (options === null || typeof options !== 'object') {
    fail(`loadModel: options must be an object, got ${describe(options)}`);
  }
  const inputDims = checkInputDimsOption(options.inputDims);
  const limits = checkLimitsOption(options.limits);
  const { onProgress, numThreads } = options;
  if (!threadCountOk(numThreads)) fail(`loadModel: options.numThreads must be a positive integer, got ${shown(numThreads)}`);
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    fail(`loadModel: options.onProgress must be a function (loadedBytes, totalBytes), got ${describe(onProgress)}`);
  }
  // Bytes in memory and the module ready: they go straight into wasm memory before anything
  // awaits (so the caller may reuse its buffer at once) instead of through a snapshot copy,
  // which for a 14 MB model is a measurable part of the cold start.
  const view = readyModule !== null ? inMemoryView(source) : null;
  let native = null;
  if (view !== null) {
    onProgress?.(view.length, view.length);
    native = loadNative(readyModule, view, { inputDims, limits, numThreads });
  }
  try {
    const [wasm, bytes, labels] = await Promise.all([
      init(),
      native === null ? sourceBytes(source, onProgress) : null,
      loadLabels(options.labels),
    ]);
    native ??= loadNative(wasm, bytes, { inputDims, limits, numThreads });
    return new Model(native, labels, threadsFor(numThreads));
  } catch (error) {
    if (native !== null) deleteNative(readyModule, native);
    throw error;
  }
}

// A native model loaded from `bytes`, copied into wasm memory by the bindings: the weights
// straight into their tensors, the rest of the file into a buffer freed after decoding (see
// onnx_split.js).
// As asked, at most what the build has.
function threadsFor(numThreads) {
  return Math.min(numThreads ?? chosen.threads, chosen.threads);
}

function loadNative(wasm, bytes, { inputDims, limits, numThreads }) {
  if (bytes.length === 0) fail('loadModel: the model source is empty (0 bytes)', 'InvalidModel');
  const split = splitOnnx(bytes);
  const threads = threadsFor(numThreads);
  let native = null;  // until it is returned: freed on every failure
  try {
    return callNative(wasm, 'loadModel', () => {
      native = new wasm.Model();
      let status = split === null
        ? native.load(bytes, inputDims, limits, [], threads)
        : native.load(split.skeleton, inputDims, limits, split.payloads, threads);
      if (!status.ok && split !== null) {
        // Errors quote byte offsets: report them for the file as given.
        native.delete();
        native = null;
        native = new wasm.Model();
        status = native.load(bytes, inputDims, limits, [], threads);
      }
      if (!status.ok) throw new LitecnnError(`cannot load model: ${status.code}: ${status.message}`, status.code);
      const loaded = native;
      native = null;
      return loaded;
    });
  } finally {
    if (native !== null) deleteNative(wasm, native);
  }
}

// Frees a native model; after an engine failure that may fail too, which changes nothing for
// the caller (the error it gets is the first one).
function deleteNative(wasm, native) {
  try {
    callNative(wasm, 'dispose', () => native.delete());
  } catch {
    // already reported
  }
}

export { LitecnnError, imageToTensor };

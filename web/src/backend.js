// The wasm module: which build runs here (SIMD, threads), its instantiation (once, lazily,
// shared by every Model), and what it reports about itself (backendInfo, memory).

import { LitecnnError, describe, fail, listed } from './errors.js';
import { isNode, platform } from './platform.js';
import { FETCHED_PROTOCOLS, fetchBytes, parseUrl, readNodeFile } from './sources.js';

let wasmPromise = null;
let readyModule = null;  // the module once wasmPromise has resolved
let chosen = null;  // backendInfo() once the module is ready

/** The instantiated module, or null before init() has resolved (for calls that need no await). */
export const loadedModule = () => readyModule;

// The smallest module that uses a SIMD128 instruction (i8x16.popcnt): it validates only where
// wasm SIMD is supported (Chrome 91+, Firefox 89+, Safari 16.4+, Node 16.4+).
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

// One turn of the event loop (a macrotask, not a microtask): lets the threads build's booting
// Workers deliver their 'loaded' message (see workersStarting in src/bindings/threads_pre.js).
// In browsers a MessageChannel message, not setTimeout, which chained runs would clamp to 4 ms.
export const nextTask = () => new Promise((resolve) => {
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
/** Whether a run should first yield so that the threads build's Workers can finish booting. */
export function workersBooting() {
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

/** Whether n is undefined or a thread count from 1 to max. */
export const threadCountOk = (n, max = Infinity) => n === undefined || (Number.isSafeInteger(n) && n >= 1 && n <= max);

/** Threads a model runs with: as asked, at most what the build has (init() has resolved). */
export const threadsFor = (numThreads) => Math.min(numThreads ?? chosen.threads, chosen.threads);

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
      fail(`init: backend "${forced}" needs WebAssembly SIMD, which this engine lacks`, 'Unsupported');
    }
    if (build.threads && !allowed) {
      fail(`init: backend "${forced}" needs SharedArrayBuffer (${isNode ? 'the Node entry' : 'COOP/COEP headers'})`, 'Unsupported');
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
      `init: options.backend must be one of ${listed(Object.keys(BUILDS))}, got ${describe(backend)}`));
  }
  if (!threadCountOk(numThreads, 16)) {
    return Promise.reject(new LitecnnError(`init: options.numThreads must be an integer from 1 to 16, got ${describe(numThreads)}`));
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

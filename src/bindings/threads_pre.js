// --pre-js for the pthreads build (litecnn-mt.mjs), emscripten 3.1.6, after esm_node_shim.js.
// Its Node path needs require('worker_threads'): web/src passes a real `require` as
// Module.nodeRequire (node:module's createRequire), and inside a pthread worker the worker script
// (CommonJS) has put its own on the global object.
if (Module['nodeRequire']) require = Module['nodeRequire'];
else if (typeof globalThis.require === 'function') require = globalThis.require;

// In Node, pthread workers are worker_threads Workers, and a Worker keeps the process alive until
// it is unref()'d, which 3.1.6 never does: a CLI or test would never exit. The runtime creates a
// Worker when a thread is first started (no pool is preloaded: see CMakeLists.txt), so web/src
// calls this once, after instantiation, to have each Worker unref'd as it is made; it then lives
// as long as the process has other work. After loadWasmModuleToWorker, which adds the 'message'
// listener that would ref the Worker's port again.
Module['unrefNewWorkers'] = function () {
  var load = PThread.loadWasmModuleToWorker;
  PThread.loadWasmModuleToWorker = function (worker, onFinishedLoading) {
    load(worker, onFinishedLoading);
    if (typeof worker.unref === 'function') worker.unref();
  };
};

// Whether a started thread still waits for its Worker to load the module: its thread starts only
// when the event loop delivers the Worker's 'loaded' message, which runs awaited back to back (all
// microtasks) would never let happen. web/src yields to the event loop before a run while so.
Module['workersStarting'] = function () {
  return PThread.runningWorkers.some(function (worker) { return worker.runPthread !== undefined; });
};

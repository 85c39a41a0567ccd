// --pre-js for the pthreads build (litecnn-mt.mjs), emscripten 3.1.6, after esm_node_shim.js.
// Its Node path needs require('worker_threads'): web/src passes a real `require` as
// Module.nodeRequire (node:module's createRequire), and inside a pthread worker the worker script
// (CommonJS) has put its own on the global object.
if (Module['nodeRequire']) require = Module['nodeRequire'];
else if (typeof globalThis.require === 'function') require = globalThis.require;

// Called once by web/src after instantiation, before any thread is started. No pool is
// preloaded (see CMakeLists.txt): the runtime creates a Worker when it first starts a thread,
// inside a model's run.
// - A Worker that cannot be created (e.g. a cross-origin worker script on an isolated page)
//   throws from inside pthread_create, through the wasm frames, leaving the thread pool's lock
//   held: the next run would hang. Caught here instead: no Worker means EAGAIN, the pool keeps
//   the workers it has, and the run goes on without the missing one.
// - unref (Node): a worker_threads Worker keeps the process alive until it is unref()'d, which
//   3.1.6 never does: a CLI or test would never exit. Each is unref'd as it is loaded, after
//   loadWasmModuleToWorker adds the 'message' listener that would ref its port again.
Module['prepareWorkers'] = function (unref) {
  var getNewWorker = PThread.getNewWorker;
  PThread.getNewWorker = function () {
    var before = PThread.unusedWorkers.length;
    try {
      return getNewWorker();
    } catch (e) {
      // A Worker made but not loaded would never start its thread: drop it.
      while (PThread.unusedWorkers.length > before) {
        var worker = PThread.unusedWorkers.pop();
        try { worker.terminate(); } catch (ignored) { /* already unusable */ }
      }
      return undefined;
    }
  };
  if (unref) {
    var load = PThread.loadWasmModuleToWorker;
    PThread.loadWasmModuleToWorker = function (worker, onFinishedLoading) {
      load(worker, onFinishedLoading);
      if (typeof worker.unref === 'function') worker.unref();
    };
  }
};

// Whether a started thread still waits for its Worker to load the module: its thread starts only
// when the event loop delivers the Worker's 'loaded' message, which runs awaited back to back (all
// microtasks) would never let happen. web/src yields to the event loop before a run while so.
Module['workersStarting'] = function () {
  return PThread.runningWorkers.some(function (worker) { return worker.runPthread !== undefined; });
};

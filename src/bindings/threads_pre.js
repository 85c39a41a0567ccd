// --pre-js for the pthreads build (litecnn-mt.mjs), emscripten 3.1.6, after esm_node_shim.js.
// Its Node path needs require('worker_threads'): web/src passes a real `require` as
// Module.nodeRequire (node:module's createRequire), and inside a pthread worker the worker script
// (CommonJS) has put its own on the global object.
if (Module['nodeRequire']) require = Module['nodeRequire'];
else if (typeof globalThis.require === 'function') require = globalThis.require;

// In Node, pthread workers are worker_threads Workers, and a Worker keeps the process alive until
// it is unref()'d, which 3.1.6 never does: a CLI or test would never exit. web/src calls this once
// the module (and so the whole worker pool) is loaded; the workers then live as long as the process
// has other work, and are stopped with it.
Module['unrefWorkers'] = function () {
  for (var w of PThread.unusedWorkers.concat(PThread.runningWorkers)) {
    if (typeof w.unref === 'function') w.unref();
  }
};

// --pre-js for the litecnn_wasm ES module (emscripten 3.1.6).
// With -sEXPORT_ES6 the generated runtime still takes CommonJS globals on its Node path: it
// reads `__dirname` unconditionally and calls `require` to read the .wasm from disk. Neither
// exists inside an ES module, and 3.1.6 cannot obtain `require` synchronously there, so:
//  - `__dirname` is derived from the module's own URL (_scriptDir is import.meta.url);
//  - `require` reports what to do instead: web/src/index.js always passes `wasmBinary` in
//    Node, so the runtime never needs the file system (the threads build replaces it:
//    threads_pre.js).
// These `var`s are function-scoped to the module factory and shadow nothing global.
var __dirname =
  typeof _scriptDir === 'string' && _scriptDir.startsWith('file:')
    ? decodeURIComponent(new URL('.', _scriptDir).pathname)
    : '';
var require = function (id) {
  throw new Error(
    "litecnn.mjs: cannot require('" + id + "') from an ES module; pass Module.wasmBinary in Node"
  );
};

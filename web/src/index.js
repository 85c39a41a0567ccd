// litecnn's JavaScript API (ES module): the browser entry, and the core of the Node entry
// (node.js adds file access; package.json's exports pick one by condition). README.md shows
// the API; index.d.ts types it. The bindings (src/bindings/bindings.cc) only translate, so every
// argument check and option default lives in these modules, which import only modules listed
// above them (no cycle; tests/node/package.test.mjs checks):
//   errors.js    LitecnnError, the argument checks, callNative (engine failures -> 'Internal')
//   platform.js  what the host adds (files in Node)     tensor.js   Tensor
//   sources.js   bytes from memory, Blob, URL, file      backend.js  the wasm build, instantiated
//   image.js     imageToTensor                           model.js    loadModel, Model
export { backendInfo, init, memoryStats, simdSupported, wasmMemoryBytes } from './backend.js';
export { LitecnnError } from './errors.js';
export { imageToTensor } from './image.js';
export { loadModel } from './model.js';
export { Tensor } from './tensor.js';

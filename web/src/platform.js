// What the host gives litecnn beyond fetch(): the file system, in Node. The Node entry
// (node.js, package.json's "node" export condition) fills these in; the browser entry
// (index.js) never references a `node:` module, so bundlers building for the web see none
// (webpack 5 refuses `node:` specifiers for web targets; Vite warns about them).
export const platform = {
  /** (path or file: URL) => Promise<Uint8Array>; null outside Node. */
  readFile: null,
  /** (path) => Promise<{isFile(), isDirectory()} | null>; null outside Node. */
  stat: null,
  /** Node only: require (for worker_threads) and () => cores. */
  require: null,
  cores: null,
};

/** Whether this is Node (also under the browser entry, e.g. a test importing index.js). */
export const isNode =
  typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';

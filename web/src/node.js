// litecnn's Node entry: `import 'litecnn'` (or require) resolves here in Node through the
// "node" condition of package.json's exports. It is the same API as index.js (the browser
// entry) with the file system plugged in: model and labels files by path or file: URL, and the
// .wasm read from disk (emscripten 3.1.6's own Node loader cannot run inside an ES module).
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';

import { platform } from './platform.js';

platform.readFile = readFile;
platform.stat = (path) => stat(path).catch(() => null);
platform.require = createRequire(import.meta.url);
platform.cores = availableParallelism;

export * from './index.js';

// Post-link step of the threads build (CMakeLists.txt): emscripten 3.1.6 writes
// `new Worker(new URL("litecnn-mt.worker.js", import.meta.url))` for when no locateFile is given
// (Node: web/src passes none there). Bundlers (Vite) treat that pattern as a module worker to
// bundle, and fail on this classic-script worker. Browsers always get locateFile from web/src,
// which finds the worker next to the module, so the pattern only needs to stop looking like one:
// `new (URL)(...)` is the same URL object (Node's Worker takes a URL, not a file: URL string).
//   node scripts/hide_worker_url.mjs path/to/litecnn-mt.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
const source = readFileSync(file, 'utf8');
const pattern = /new Worker\(new URL\(/g;
const count = source.match(pattern)?.length ?? 0;
if (count === 0) {
  console.error(`${file}: no "new Worker(new URL(" to rewrite (has emscripten's output changed?)`);
  process.exit(1);
}
writeFileSync(file, source.replace(pattern, 'new Worker(new (URL)('));

// Two builds of litecnn in one process: `node bench/ab.mjs BEFORE_DIST AFTER_DIST [--models a,b]
// [--runs N] [--threads N]`. Each DIST is a web/dist folder (litecnn.mjs + .wasm, or the -mt
// files with --threads > 1); both run behind this checkout's web/src.
//
// For a refactor that must not change speed (issue 18): the peers' table in bench/run.mjs
// compares runtimes, this compares a runtime with itself. Both builds are loaded in the same
// process and timed in alternating blocks, so machine load and V8's tier-up affect them alike;
// the ratio after/before is what to read (1.00 = unchanged), for a run and for a load (decode,
// passes, weight packing). Outputs are compared bit for bit.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { median, warmUp } from './stats.mjs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const args = { dists: [], models: null, runs: 30, threads: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--models') args.models = argv[++i].split(',');
    else if (a === '--runs') args.runs = Number(argv[++i]);
    else if (a === '--threads') args.threads = Number(argv[++i]);
    else args.dists.push(resolve(a));
  }
  if (args.dists.length !== 2 || !(args.runs >= 1) || !(args.threads >= 1)) {
    console.error('usage: node bench/ab.mjs BEFORE_DIST AFTER_DIST [--models a,b] [--runs N] [--threads N]');
    process.exit(2);
  }
  return args;
}

// A copy of web/ with `dist` as its dist/: a module graph of its own (other URLs), so the two
// builds' module state (the instantiated wasm, the chosen backend) is separate.
async function loadBuild(dist, root, threads) {
  cpSync(join(REPO_ROOT, 'web/src'), join(root, 'web/src'), { recursive: true });
  cpSync(dist, join(root, 'web/dist'), { recursive: true });
  const api = await import(pathToFileURL(join(root, 'web/src/node.js')).href);
  await api.init(threads > 1 ? { backend: 'simd-threads', numThreads: threads } : { backend: 'simd' });
  return api;
}

async function session(api, bytes, threads) {
  const model = await api.loadModel(bytes, threads > 1 ? { numThreads: threads } : {});
  const input = model.inputs[0];
  const n = input.dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.sin(i * 0.37) * 0.5;  // deterministic, not constant
  const feeds = { [input.name]: new api.Tensor(data, [...input.dims]) };
  return { model, run: () => model.run(feeds) };
}

function sameOutputs(a, b) {
  const ka = Object.keys(a);
  if (ka.join() !== Object.keys(b).join()) return false;
  return ka.every((k) => Buffer.compare(Buffer.from(a[k].data.buffer, a[k].data.byteOffset, a[k].data.byteLength),
    Buffer.from(b[k].data.buffer, b[k].data.byteOffset, b[k].data.byteLength)) === 0);
}

const args = parseArgs(process.argv.slice(2));
const tmp = mkdtempSync(join(tmpdir(), 'litecnn-ab-'));
try {
  const builds = [];
  for (const [k, dist] of args.dists.entries()) builds.push(await loadBuild(dist, join(tmp, String(k)), args.threads));
  const modelDir = join(REPO_ROOT, 'models/generated');
  const names = args.models ?? readdirSync(modelDir).filter((f) => f.endsWith('.onnx')).map((f) => f.replace(/\.onnx$/, ''));
  console.log(`| model | run before ms | run after ms | run after/before | load before ms | load after ms | load after/before | outputs |`);
  console.log(`|---|---|---|---|---|---|---|---|`);
  for (const name of names) {
    const bytes = readFileSync(join(modelDir, `${name}.onnx`));
    const s = [await session(builds[0], bytes, args.threads), await session(builds[1], bytes, args.threads)];
    const same = sameOutputs(await s[0].run(), await s[1].run());
    for (const x of s) await warmUp(x.run, 20, 1000);
    const times = [[], []];
    const block = 5;  // runs per block; blocks alternate before/after
    for (let done = 0; done < args.runs; done += block) {
      for (const k of [0, 1]) {
        for (let r = 0; r < block; r++) {
          const t0 = performance.now();
          await s[k].run();
          times[k].push(performance.now() - t0);
        }
      }
    }
    const [b, a] = times.map(median);
    // Load (decode, passes, weight packing), alternating one load each.
    const loads = [[], []];
    for (let r = 0; r < 12; r++) {
      for (const k of [0, 1]) {
        const t0 = performance.now();
        const m = await builds[k].loadModel(bytes);
        loads[k].push(performance.now() - t0);
        m.dispose();
      }
    }
    const [lb, la] = loads.map((xs) => median(xs.slice(2)));  // the first loads warm up the decoder
    console.log(`| ${name} | ${b.toFixed(2)} | ${a.toFixed(2)} | ${(a / b).toFixed(2)} | ${lb.toFixed(1)} | ${la.toFixed(1)} | ${(la / lb).toFixed(2)} | ${same ? 'identical' : 'DIFFER'} |`);
    for (const x of s) x.model.dispose();
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

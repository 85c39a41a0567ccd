// Builds (if missing or stale) and runs bench/peak/peak.cc: the f32x4 mul+add peak GFLOP/s of
// one core under this Node's V8. Used by bench/run.mjs; runnable alone:
//   node bench/peak/peak.mjs [--quick]

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = dirname(fileURLToPath(import.meta.url));
const SRC = join(DIR, 'peak.cc');
const OUT = join(DIR, 'build', 'peak.wasm');  // git-ignored (bench/.gitignore)

export function buildPeak({ log = () => {} } = {}) {
  if (existsSync(OUT) && statSync(OUT).mtimeMs >= statSync(SRC).mtimeMs) return OUT;
  mkdirSync(dirname(OUT), { recursive: true });
  const args = ['-O3', '-msimd128', '--no-entry', '-sSTANDALONE_WASM',
    '-sEXPORTED_FUNCTIONS=_peak_run,_peak_flops_per_iter', SRC, '-o', OUT];
  log(`building ${OUT}: em++ ${args.join(' ')}`);
  // Debian's emscripten 3.1.6 finds acorn (used when optimising the output) only via NODE_PATH.
  execFileSync('em++', args, { stdio: 'inherit', env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } });
  return OUT;
}

/**
 * Measures the peak. Each call runs `iters` iterations (~10-20 ms); calls are repeated after
 * warm-up because V8 compiles wasm with Liftoff first and tiers up to TurboFan in the
 * background between calls. Reports the best and the median call.
 */
export async function measurePeak({ quick = false, log = () => {} } = {}) {
  let wasmPath;
  try {
    wasmPath = buildPeak({ log });
  } catch (e) {
    return { error: `could not build ${SRC}: ${e.message}` };
  }
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {});
  const { peak_run: run, peak_flops_per_iter: perIter } = instance.exports;
  const flopsPerIter = perIter();
  const iters = 2_000_000;
  const warm = quick ? 5 : 20;
  const reps = quick ? 5 : 30;
  let sink = 0;
  for (let i = 0; i < warm; i++) sink += run(iters, 0.9999, 0.0001);
  const gflops = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    sink += run(iters, 0.9999, 0.0001);
    const ms = performance.now() - t0;
    gflops.push((iters * flopsPerIter) / (ms * 1e6));
  }
  gflops.sort((a, b) => a - b);
  if (!Number.isFinite(sink)) log('peak: non-finite checksum (harmless, but unexpected)');
  return {
    what: 'f32x4 mul+add, 12 independent chains, 1 thread (wasm SIMD, no FMA)',
    gflops_best: gflops[gflops.length - 1],
    gflops_median: gflops[Math.floor(gflops.length / 2)],
    calls: reps,
    flops_per_call: iters * flopsPerIter,
    build: 'em++ -O3 -msimd128',
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await measurePeak({ quick: process.argv.includes('--quick'), log: console.log }));
}

// `npm run bench [-- options]`: litecnn vs onnxruntime-web (wasm, 1 thread) vs TensorFlow.js
// (wasm backend, XNNPACK, SIMD, 1 thread) on every model in models/manifest.json.
// See bench/README.md for what is measured and how to read it.
//
// Options:
//   --quick                  2 warm-up + 3 runs, 1 run in the memory children, 2 kernel runs
//                            (CI: proves the harness works; numbers mean nothing). Results go to
//                            bench/results/quick/ (git-ignored).
//   --models a,b             only these models
//   --runs N --warmup N      override the timed / warm-up run counts
//   --no-memory              skip the per-runtime child processes (cold start + memory)
//   --no-kernels             skip the per-kernel benchmark
//   --no-peak                skip the f32x4 peak microbenchmark
//   --no-threads             skip the 1- vs 2-thread comparison (litecnn threads build vs ORT;
//                            one child process per thread count, bench/threads_child.mjs)
//   --out DIR                output directory (default bench/results or bench/results/quick)

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { RUNTIMES, RUNTIME_ORDER, REPO_ROOT } from './runtimes.mjs';
import { median, summarize, warmUp } from './stats.mjs';
import { markdownReport, ratioSvg } from './report.mjs';
import { measurePeak } from './peak/peak.mjs';
import { checkAgainstModel } from './shapes.mjs';
import { benchKernels } from './kernels_peers.mjs';
import { benchInputs, compareOutputs, loadManifest, readModelBytes } from '../tests/node/model_helpers.mjs';

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    models: { type: 'string' },
    runs: { type: 'string' },
    warmup: { type: 'string' },
    'warmup-ms': { type: 'string' },
    'no-memory': { type: 'boolean', default: false },
    'no-kernels': { type: 'boolean', default: false },
    'no-peak': { type: 'boolean', default: false },
    'no-threads': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

const QUICK = opt.quick;
const COLD_MODEL = 'mobilenet_v2';
const COLD_SAMPLES = QUICK ? 1 : 9;
const WARMUP = Number(opt.warmup ?? (QUICK ? 2 : 5));
// ... and at least this long (stats.mjs warmUp says why), per model and per timed block.
const WARMUP_MS = Number(opt['warmup-ms'] ?? (QUICK ? 0 : 2500));
const RUNS = Number(opt.runs ?? (QUICK ? 3 : 30));
const CHILD_RUNS = QUICK ? 1 : 5;
const KERNEL_WARMUP = QUICK ? 1 : 5;
const KERNEL_RUNS = QUICK ? 2 : 20;
// TF.js rebuilds the network from ops: it must match ORT before its time means anything.
const TFJS_REL_TOL = 1e-3;   // max |tfjs - ort| <= TFJS_REL_TOL * max |ort|, per output
const LITECNN_REL_TOL = 1e-4; // informative here; tests/node/models.test.mjs is the real check
const INPUT_SEED = 0x11ce;

const log = (...a) => console.error(...a);  // progress on stderr; the report on stdout
const problems = [];   // harness failures: exit 1 (CI runs --quick to keep the harness alive)
const warnings = [];

function localDate() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function gitDescribe() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head} (+ uncommitted changes)` : head;
  } catch {
    return null;
  }
}

function ensurePrerequisites() {
  // Both are no-ops when everything is present.
  execFileSync(process.execPath, [join(REPO_ROOT, 'models', 'prepare.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(join(REPO_ROOT, 'web', 'dist', 'litecnn.wasm'))) {
    log('web/dist/litecnn.wasm missing: building the module (scripts/build.sh module)');
    execFileSync('bash', [join(REPO_ROOT, 'scripts', 'build.sh'), 'module'], { stdio: ['ignore', 2, 'inherit'] });
  }
}

async function benchModel(entry, warmup, runs) {
  const result = { model: entry.name, input: entry.inputs.map((i) => ({ name: i.name, dims: i.dims })),
    load_ms_warm: {}, timing: {}, checks: {}, errors: {}, ratios: {} };
  const bytes = readModelBytes(entry);
  const feeds = benchInputs(entry, INPUT_SEED);
  const sessions = {};
  for (const name of RUNTIME_ORDER) {
    try {
      const t0 = performance.now();
      const s = await RUNTIMES[name].load(bytes, entry);
      result.load_ms_warm[name] = performance.now() - t0;
      s.prepared = s.prepare(feeds);
      sessions[name] = s;
      if (name === 'tfjs') result.tfjs_graph = { steps: s.net.stats.steps, fused_activations: s.net.stats.fused,
        transposes: s.net.stats.transposes, convs: s.net.stats.convs.length };
    } catch (e) {
      result.errors[name] = `load: ${e.message.split('\n')[0]}`;
      log(`  ${name}: ${result.errors[name]}`);
    }
  }
  if (!sessions.ort) {
    problems.push(`${entry.name}: ORT failed to load (${result.errors.ort})`);
    return result;
  }
  // Correctness first: the reference output, then each runtime against it.
  const ref = await sessions.ort.run(sessions.ort.prepared);
  for (const name of ['tfjs', 'litecnn']) {
    if (!sessions[name]) continue;
    try {
      const out = await sessions[name].run(sessions[name].prepared);
      const c = compareOutputs(out, ref, entry.task);
      const tol = name === 'tfjs' ? TFJS_REL_TOL : LITECNN_REL_TOL;
      result.checks[name] = { ...c, tolerance: tol, ok: c.relative <= tol };
      log(`  check ${name.padEnd(7)} vs ORT: max abs diff ${c.max_abs_diff?.toExponential(2)} over max |ref| ` +
        `${c.scale?.toExponential(2)} (output ${c.output}) -> relative ${c.relative.toExponential(2)} ` +
        `${c.relative <= tol ? 'ok' : `EXCEEDS ${tol}`}`);
      if (c.relative > tol) {
        if (name === 'tfjs') problems.push(`${entry.name}: TF.js network differs from ORT (relative ${c.relative})`);
        else warnings.push(`${entry.name}: litecnn differs from ORT (relative ${c.relative.toExponential(2)})`);
        if (name === 'tfjs') {  // its timing would describe a different network
          result.errors.tfjs = `output mismatch vs ORT (relative ${c.relative.toExponential(2)})`;
          await sessions.tfjs.dispose();
          delete sessions.tfjs;
        }
      }
    } catch (e) {
      result.errors[name] = `run: ${e.message.split('\n')[0]}`;
      log(`  ${name}: ${result.errors[name]}`);
      await sessions[name].dispose().catch(() => {});
      delete sessions[name];
    }
  }
  // Interleaved: round k runs litecnn, ORT, TF.js once each, so drift (thermal, other load)
  // hits all runtimes alike.
  const active = RUNTIME_ORDER.filter((n) => sessions[n]);
  const ms = Object.fromEntries(active.map((n) => [n, []]));
  const t0 = performance.now();
  const round = async (record) => {
    for (const n of active) {
      const s = sessions[n];
      const t = performance.now();
      await s.run(s.prepared);
      if (record) ms[n].push(performance.now() - t);
    }
  };
  await warmUp(() => round(false), warmup, WARMUP_MS);
  for (let k = 0; k < runs; k++) await round(true);
  for (const n of active) {
    result.timing[n] = summarize(ms[n]);
    result.timing[n].all_ms = ms[n].map((v) => Math.round(v * 1000) / 1000);
    await sessions[n].dispose();
  }
  const med = (n) => result.timing[n]?.median_ms;
  result.ratios.litecnn_over_ort = med('litecnn') && med('ort') ? med('litecnn') / med('ort') : null;
  result.ratios.litecnn_over_tfjs = med('litecnn') && med('tfjs') ? med('litecnn') / med('tfjs') : null;
  log(`  ${active.map((n) => `${n} ${med(n).toFixed(1)} ms`).join(', ')} ` +
    `(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  return result;
}

// THREAD_COUNTS children, each timing litecnn's threads build against ORT at that count.
const THREAD_COUNTS = [1, 2];
function runThreadsChild(threads, models) {
  const p = spawnSync(process.execPath, [join(REPO_ROOT, 'bench', 'threads_child.mjs'), String(threads), `${WARMUP}:${WARMUP_MS}`,
    String(RUNS), models.join(',')], { encoding: 'utf8', timeout: 20 * 60_000, maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = (p.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (p.status !== 0 || !line) return { threads, error: `exit ${p.status}${p.signal ? ` (${p.signal})` : ''}` };
  return JSON.parse(line.slice(7));
}

function runChild(runtime, model, env = {}) {
  const p = spawnSync(process.execPath, [join(REPO_ROOT, 'bench', 'mem_child.mjs'), runtime, model, String(CHILD_RUNS)],
    { encoding: 'utf8', timeout: 10 * 60_000, maxBuffer: 16 << 20, env: { ...process.env, ...env } });
  const line = (p.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (p.status !== 0 || !line) {
    return { runtime, model, error: `exit ${p.status}${p.signal ? ` (${p.signal})` : ''}: ${(p.stderr || '').trim().split('\n').slice(-3).join(' | ')}` };
  }
  return JSON.parse(line.slice(7));
}

// --- main -----------------------------------------------------------------------------------

const startedAt = new Date();
ensurePrerequisites();
let manifestModels = loadManifest().models;
if (opt.models) {
  const want = opt.models.split(',');
  const unknown = want.filter((w) => !manifestModels.some((m) => m.name === w));
  if (unknown.length) throw new Error(`unknown model(s) ${unknown}; known: ${manifestModels.map((m) => m.name)}`);
  manifestModels = manifestModels.filter((m) => want.includes(m.name));
}

const report = {
  date: localDate(),
  started_at: startedAt.toISOString(),
  quick: QUICK,
  host: {
    hostname: os.hostname(), cpu_model: os.cpus()[0]?.model ?? 'unknown', cpu_count: os.cpus().length,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`, node: process.version, v8: process.versions.v8,
    total_mem_bytes: os.totalmem(), loadavg_start: os.loadavg(),
  },
  git: gitDescribe(),
  settings: { warmup: WARMUP, warmup_ms: WARMUP_MS, runs: RUNS, child_runs: CHILD_RUNS, kernel_warmup: KERNEL_WARMUP,
    kernel_runs: KERNEL_RUNS, input: `seeded uniform [-1,1) (mulberry32 seed 0x${INPUT_SEED.toString(16)}); M-LSD: astronaut.png`,
    tfjs_tolerance: TFJS_REL_TOL, threads: 1 },
  versions: {},
  peak: null,
  models: [],
  cold: [],
  kernels: null,
  threads: null,
  warnings,
};

log(`litecnn bench${QUICK ? ' (quick)' : ''}: ${manifestModels.length} models, ${WARMUP} warm-up (>= ${WARMUP_MS} ms) + ${RUNS} runs`);
if (!opt['no-peak']) {
  log('peak f32x4 mul+add ...');
  report.peak = await measurePeak({ quick: QUICK, log });
  log(report.peak.error ? `  ${report.peak.error}` : `  ${report.peak.gflops_best.toFixed(1)} GFLOP/s best`);
  if (report.peak.error) problems.push(report.peak.error);
}

for (const name of RUNTIME_ORDER) {
  const t0 = performance.now();
  await RUNTIMES[name].init();
  log(`init ${name}: ${(performance.now() - t0).toFixed(0)} ms`);
}
report.versions = {
  litecnn: RUNTIMES.litecnn.version(), ort: RUNTIMES.ort.version(), tfjs: RUNTIMES.tfjs.version(),
  tfjs_wasm_file: RUNTIMES.tfjs.wasmFile, tfjs_threads: RUNTIMES.tfjs.flags.threads,
  tfjs_flags: RUNTIMES.tfjs.flags,
};

for (const entry of manifestModels) {
  log(`${entry.name}:`);
  try {
    const r = await benchModel(entry, WARMUP, RUNS);
    report.models.push(r);
    // The kernel shape list must still describe these models.
    if (r.tfjs_graph && ['mobilenet_v2', 'squeezenet1_0', 'squeezenet1_1'].includes(entry.name)) {
      // Rebuild cheaply for the conv list (the session was disposed).
      const { tfjsFromOnnx } = await import('./tfjs_from_onnx.mjs');
      const net = await tfjsFromOnnx(RUNTIMES.tfjs.tf, readModelBytes(entry));
      const diffs = checkAgainstModel(entry.name, net.stats.convs);
      net.dispose();
      if (diffs.length) warnings.push(`bench/shapes.mjs is out of date for ${entry.name}: ${diffs.join('; ')}`);
    }
  } catch (e) {
    problems.push(`${entry.name}: ${e.stack}`);
    log(e.stack);
  }
}

if (!opt['no-threads']) {
  log(`threads: litecnn (simd-threads build) vs ORT at ${THREAD_COUNTS.join(' and ')} threads (a child process each) ...`);
  report.threads = THREAD_COUNTS.map((t) => runThreadsChild(t, manifestModels.map((m) => m.name)));
  for (const r of report.threads) {
    if (r.error) problems.push(`threads child (${r.threads} threads): ${r.error}`);
    for (const m of r.models ?? []) {
      if (m.relative > LITECNN_REL_TOL) warnings.push(`${m.model}: litecnn at ${r.threads} threads differs from ORT (relative ${m.relative.toExponential(2)})`);
    }
  }
}

if (!opt['no-memory']) {
  log('cold start + memory (one child process per runtime and model) ...');
  for (const entry of manifestModels) {
    for (const rt of RUNTIME_ORDER) {
      const c = runChild(rt, entry.name);
      report.cold.push(c);
      log(c.error ? `  ${entry.name} ${rt}: ${c.error}` : `  ${entry.name} ${rt}: load ${c.load_ms.toFixed(0)} ms, ` +
        `peak RSS ${(c.rss_peak / 2 ** 20).toFixed(0)} MB, wasm ${(c.wasm_memory_bytes / 2 ** 20).toFixed(0)} MB`);
      if (c.error && rt !== 'litecnn' && !report.models.find((m) => m.model === entry.name)?.errors?.[rt]) {
        problems.push(`memory child ${entry.name}/${rt}: ${c.error}`);
      }
    }
  }
}

// litecnn's cold start on MobileNetV2 (the JS API issue's target): one fresh process per sample,
// the median of several, since one sample of ~100 ms swings with whatever else the machine does.
// Both builds Node can pick: the single-threaded SIMD one (this benchmark's main table) and the
// threads build, Node's default (its Workers start at the first run, not counted here).
if (!opt['no-memory'] && manifestModels.some((m) => m.name === COLD_MODEL)) {
  report.cold_starts = [];
  for (const backend of ['simd', 'simd-threads']) {
    const samples = [];
    for (let i = 0; i < COLD_SAMPLES; i++) {
      const c = runChild('litecnn', COLD_MODEL, { LITECNN_BENCH_BACKEND: backend });
      if (c.error) {
        problems.push(`cold start ${COLD_MODEL} (${backend}): ${c.error}`);
        break;
      }
      samples.push({ init_ms: c.init_ms, load_ms: c.load_ms, total_ms: c.init_ms + c.load_ms });
    }
    if (!samples.length) continue;
    const med = (k) => median(samples.map((x) => x[k]));
    const cold = { model: COLD_MODEL, backend, samples, init_ms: med('init_ms'), load_ms: med('load_ms'), total_ms: med('total_ms') };
    report.cold_starts.push(cold);
    log(`litecnn cold start ${COLD_MODEL} (${backend} build): median ${cold.total_ms.toFixed(0)} ms ` +
      `(init ${cold.init_ms.toFixed(0)} + load ${cold.load_ms.toFixed(0)}) over ${samples.length} processes`);
  }
}

if (!opt['no-kernels']) {
  log('per-kernel GFLOP/s (one-Conv models in litecnn and ORT, TF.js fused ops) ...');
  try {
    const ort = await import('onnxruntime-web');
    const litecnn = await import('../web/src/node.js');
    const rows = await benchKernels({ litecnn, ort, tf: RUNTIMES.tfjs.tf, warmup: KERNEL_WARMUP, runs: KERNEL_RUNS, log });
    report.kernels = { rows };
  } catch (e) {
    problems.push(`kernel benchmark: ${e.stack}`);
    log(e.stack);
  }
}

report.host.loadavg_end = os.loadavg();
report.finished_at = new Date().toISOString();
report.problems = problems;

const outDir = opt.out ?? join(REPO_ROOT, 'bench', 'results', ...(QUICK ? ['quick'] : []));
mkdirSync(outDir, { recursive: true });
const base = join(outDir, `${report.date}-${os.hostname()}`);
const md = markdownReport(report);
writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 1)}\n`);
writeFileSync(`${base}.md`, md);
writeFileSync(`${base}.svg`, ratioSvg(report));
console.log(md);
log(`wrote ${base}.{json,md,svg}`);
if (problems.length) {
  log(`\nbench harness problems (exit 1):\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exitCode = 1;
}

// Per-kernel GFLOP/s of the peers on the layer shapes of bench/shapes.mjs, plus the hook that
// merges litecnn's own kernel microbenchmarks (bench/kernels/*_bench.cc, written separately)
// into the same table.
//
// - ORT: a one-Conv ONNX model per shape (tests/node/onnx_encode.mjs), timed with
//   session.run(). That call also copies the input into the wasm heap and the output out; the
//   table gives the raw figure and one with that copy subtracted (the copy cost is measured in
//   JS as Float32Array.set + slice of the same sizes, which is what ORT-web does).
// - TF.js: tf.fused.conv2d / tf.fused.depthwiseConv2d (with bias, no activation) on an NHWC
//   tensor already in the wasm heap; the call runs the XNNPACK operator synchronously, so the
//   timing is the kernel (plus tfjs' small per-op JS overhead). Output not read back.
// Both: warm-up, then ORT and TF.js runs interleaved; median ms -> GFLOP/s = flops / time.

import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SHAPES } from './shapes.mjs';
import { encodeModel } from '../tests/node/onnx_encode.mjs';
import { REPO_ROOT } from './runtimes.mjs';
import { mulberry32 } from '../tests/node/model_helpers.mjs';
import { median, percentile } from './stats.mjs';

function randomArray(n, seed, scale = 1) {
  const next = mulberry32(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = ((next() / 4294967296) * 2 - 1) * scale;
  return a;
}

export function convModel(s) {
  const wCount = s.cout * (s.cin / s.group) * s.k * s.k;
  return encodeModel({
    inputs: [{ name: 'X', dims: [1, s.cin, s.h, s.w] }],
    outputs: [{ name: 'Y', dims: [1, s.cout, s.oh, s.ow] }],
    initializers: [
      { name: 'W', dims: [s.cout, s.cin / s.group, s.k, s.k], values: randomArray(wCount, 7, 0.1) },
      { name: 'B', dims: [s.cout], values: randomArray(s.cout, 8, 0.1) },
    ],
    nodes: [{ op: 'Conv', inputs: ['X', 'W', 'B'], outputs: ['Y'], attributes: {
      group: s.group, kernel_shape: [s.k, s.k], pads: [s.pad, s.pad, s.pad, s.pad],
      strides: [s.stride, s.stride], dilations: [1, 1] } }],
  });
}

/** Median ms of copying inCount floats into a wasm-heap-sized buffer and outCount out. */
function copyCostMs(inCount, outCount, scratch, runs) {
  const src = new Float32Array(inCount);
  const ms = [];
  let sink = 0;
  for (let i = 0; i < runs + 3; i++) {
    const t0 = performance.now();
    scratch.set(src, 0);
    const out = scratch.slice(inCount, inCount + outCount);
    sink += out.length;
    if (i >= 3) ms.push(performance.now() - t0);
  }
  return sink > 0 ? median(ms) : 0;
}

/**
 * Times every shape in ORT and TF.js. `ort` and `tf` are initialised modules (bench/runtimes.mjs).
 * Returns rows [{id, kind, ..., ort: {ms, gflops, ms_io_adjusted, gflops_io_adjusted}, tfjs: {ms, gflops}}].
 */
export async function benchPeerKernels({ ort, tf, warmup, runs, log = () => {} }) {
  const rows = [];
  const maxFloats = Math.max(...SHAPES.map((s) => s.cin * s.h * s.w + s.cout * s.oh * s.ow));
  const scratch = new Float32Array(maxFloats);
  for (const s of SHAPES) {
    const row = { id: s.id, kind: s.kind, h: s.h, w: s.w, cin: s.cin, cout: s.cout, k: s.k,
      stride: s.stride, pad: s.pad, group: s.group, mflop: s.flops / 1e6, models: s.models };
    const input = randomArray(s.cin * s.h * s.w, 9);

    // ORT session.
    const session = await ort.InferenceSession.create(convModel(s), {
      executionProviders: ['wasm'], graphOptimizationLevel: 'all', logSeverityLevel: 3 });
    const feeds = { X: new ort.Tensor('float32', input, [1, s.cin, s.h, s.w]) };
    // TF.js op.
    const x = tf.tensor(input, [1, s.h, s.w, s.cin]);  // values only matter for timing
    const depthwise = s.kind === 'depthwise';
    const filter = depthwise
      ? tf.tensor(randomArray(s.k * s.k * s.cin, 7, 0.1), [s.k, s.k, s.cin, 1])
      : tf.tensor(randomArray(s.k * s.k * s.cin * s.cout, 7, 0.1), [s.k, s.k, s.cin, s.cout]);
    const bias = tf.tensor(randomArray(s.cout, 8, 0.1), [s.cout]);
    const pad = s.pad === 0 ? 'valid' : [[0, 0], [s.pad, s.pad], [s.pad, s.pad], [0, 0]];
    const tfOp = depthwise
      ? () => tf.fused.depthwiseConv2d({ x, filter, strides: s.stride, pad, bias })
      : () => tf.fused.conv2d({ x, filter, strides: s.stride, pad, bias });
    if (!depthwise && s.group !== 1) throw new Error(`grouped conv ${s.id} not supported by the TF.js kernel bench`);

    const ortMs = [];
    const tfMs = [];
    for (let i = 0; i < warmup + runs; i++) {
      const t0 = performance.now();
      const out = await session.run(feeds);
      const ortOne = performance.now() - t0;
      if (out.Y.dims[1] !== s.cout || out.Y.dims[2] !== s.oh) throw new Error(`ORT ${s.id}: dims ${out.Y.dims}`);
      const t2 = performance.now();
      const y = tfOp();
      const t3 = performance.now();
      if (y.shape[3] !== s.cout || y.shape[1] !== s.oh) throw new Error(`TF.js ${s.id}: shape ${y.shape}`);
      y.dispose();
      if (i >= warmup) {
        ortMs.push(ortOne);
        tfMs.push(t3 - t2);
      }
    }
    await session.release();
    for (const t of [x, filter, bias]) t.dispose();

    const copy = copyCostMs(s.cin * s.h * s.w, s.cout * s.oh * s.ow, scratch, Math.max(runs, 5));
    const gf = (ms) => (ms > 0 ? s.flops / (ms * 1e6) : null);
    const om = median(ortMs);
    row.ort = { ms: om, p90_ms: percentile(ortMs, 90), gflops: gf(om), copy_ms: copy,
      ms_io_adjusted: Math.max(om - copy, 1e-6), gflops_io_adjusted: gf(Math.max(om - copy, 1e-6)) };
    const tm = median(tfMs);
    row.tfjs = { ms: tm, p90_ms: percentile(tfMs, 90), gflops: gf(tm) };
    row.litecnn = null;
    rows.push(row);
    log(`  ${s.id.padEnd(34)} ORT ${row.ort.gflops.toFixed(2).padStart(6)} GFLOP/s ` +
      `(io-adj ${row.ort.gflops_io_adjusted.toFixed(2)})   TF.js ${row.tfjs.gflops.toFixed(2).padStart(6)} GFLOP/s`);
  }
  return rows;
}

// --- litecnn kernel results (the hook) ---------------------------------------------------
//
// Contract for bench/kernels/*_bench.cc (see bench/README.md): print one result per line, either
//   {"shape": "<id from bench/shapes.mjs>", "kernel": "<kernel name>", "gflops": 12.3}
// (JSON, preferred; extra keys are kept) or a text line containing the shape id and
// "<number> GFLOP/s". Lines that match neither are ignored. When several kernels report the
// same shape, the fastest is shown and all are kept in the JSON.

/** Parses kernel-bench output text into [{shape, kernel, gflops, ...}]. */
export function parseKernelOutput(text, source) {
  const ids = new Set(SHAPES.map((s) => s.id));
  const results = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    if (t.startsWith('{')) {
      try {
        const o = JSON.parse(t);
        const shape = o.shape ?? o.id ?? o.shape_id;
        if (typeof shape === 'string' && Number.isFinite(o.gflops)) results.push({ ...o, shape, source });
      } catch { /* not JSON after all */ }
      continue;
    }
    const m = t.match(/([0-9]+(?:\.[0-9]+)?)\s*GFLOP\/?s/i);
    const shape = t.split(/[\s,;|]+/).find((tok) => ids.has(tok));
    if (m && shape) {
      const kernel = t.split(/[\s,;|]+/).find((tok) => /__(wasmsimd|scalar|wasm)/.test(tok)) ?? null;
      results.push({ shape, kernel, gflops: Number(m[1]), source, line: t });
    }
  }
  return results;
}

/**
 * Finds litecnn's kernel results. In order: an explicit file (--litecnn-kernels FILE or
 * LITECNN_KERNEL_RESULTS; JSON array or lines as above), else every built kernel bench
 * (bench/kernels/build/*_bench.{cjs,js,mjs} or build-wasm/**\/*_bench.{cjs,js,mjs}) run with
 * `node <bench> --shapes <tsv file> [--quick]`. Returns {results, sources, notes}.
 */
export function loadLitecnnKernelResults({ file, quick, tmpDir, log = () => {} }) {
  const notes = [];
  const sources = [];
  let results = [];
  const explicit = file ?? process.env.LITECNN_KERNEL_RESULTS;
  if (explicit) {
    const text = readFileSync(explicit, 'utf8');
    let parsed = null;
    try { parsed = JSON.parse(text); } catch { /* line format */ }
    results = Array.isArray(parsed) ? parsed.map((o) => ({ ...o, shape: o.shape ?? o.id, source: explicit }))
      : parseKernelOutput(text, explicit);
    sources.push(explicit);
    return { results, sources, notes };
  }
  const candidates = [];
  const scan = (dir, depth) => {
    if (!existsSync(dir) || depth < 0) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory() && !['CMakeFiles', 'googletest', 'node_modules'].includes(e.name)) scan(p, depth - 1);
      else if (/^(gemm|dwconv|[a-z0-9_]+)_bench\.(cjs|js|mjs)$/.test(e.name)) candidates.push(p);
    }
  };
  scan(join(REPO_ROOT, 'bench', 'kernels'), 2);
  scan(join(REPO_ROOT, 'build-wasm'), 3);
  if (candidates.length === 0) {
    notes.push('no litecnn kernel benchmark found (bench/kernels/*_bench.cc not built yet): litecnn column empty');
    return { results, sources, notes };
  }
  mkdirSync(tmpDir, { recursive: true });
  const shapesFile = join(tmpDir, 'shapes.tsv');
  writeFileSync(shapesFile, execFileSync(process.execPath, [join(REPO_ROOT, 'bench', 'shapes.mjs'), '--tsv'], { encoding: 'utf8' }));
  for (const c of candidates) {
    const args = [c, '--shapes', shapesFile, ...(quick ? ['--quick'] : [])];
    log(`  running ${c.replace(`${REPO_ROOT}/`, '')} ${args.slice(1).join(' ')}`);
    try {
      const out = execFileSync(process.execPath, args, { encoding: 'utf8', timeout: 15 * 60_000,
        maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
      const r = parseKernelOutput(out, c);
      if (r.length === 0) notes.push(`${c}: ran, but printed no result line in the agreed format`);
      results.push(...r);
      sources.push(c);
    } catch (e) {
      notes.push(`${c}: failed (${e.message.split('\n')[0]})`);
    }
  }
  return { results, sources, notes };
}

/** Merges litecnn kernel results into the peer rows (row.litecnn = best kernel for the shape). */
export function mergeLitecnnKernels(rows, results) {
  const byShape = new Map();
  for (const r of results) {
    if (!byShape.has(r.shape)) byShape.set(r.shape, []);
    byShape.get(r.shape).push(r);
  }
  for (const row of rows) {
    const rs = byShape.get(row.id);
    if (!rs) continue;
    const best = rs.reduce((a, b) => (b.gflops > a.gflops ? b : a));
    row.litecnn = { gflops: best.gflops, kernel: best.kernel ?? null, all: rs };
  }
  const known = new Set(rows.map((r) => r.id));
  return [...byShape.keys()].filter((id) => !known.has(id));  // unknown shape ids, for a warning
}

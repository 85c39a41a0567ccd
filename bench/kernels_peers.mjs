// Per-kernel GFLOP/s of litecnn and its peers on the layer shapes of bench/shapes.mjs.
//
// - litecnn: the same one-Conv ONNX model as ORT, loaded by litecnn; the time is the Conv node's
//   own entry in model.profile() (the op driving its microkernel, input/output copies excluded),
//   and the row names the microkernel the op chose (Op::kernel_name()).
// - ORT: a one-Conv ONNX model per shape (tests/node/onnx_encode.mjs), timed with
//   session.run(). That call also copies the input into the wasm heap and the output out; the
//   table gives the raw figure and one with that copy subtracted (the copy cost is measured in
//   JS as Float32Array.set + slice of the same sizes, which is what ORT-web does).
// - TF.js: tf.fused.conv2d / tf.fused.depthwiseConv2d (with bias, no activation) on an NHWC
//   tensor already in the wasm heap; the call runs the XNNPACK operator synchronously, so the
//   timing is the kernel (plus tfjs' small per-op JS overhead). Output not read back.
// All three: warm-up, then runs interleaved (litecnn, ORT, TF.js, litecnn, ...); median ms ->
// GFLOP/s = flops / time.

import { SHAPES } from './shapes.mjs';
import { encodeModel } from '../tests/node/onnx_encode.mjs';
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
 * Times every shape in litecnn, ORT and TF.js. `litecnn` is web/src/index.js, `ort` and `tf`
 * initialised modules (bench/runtimes.mjs). Returns rows [{id, kind, ..., litecnn: {ms, gflops,
 * kernel}, ort: {ms, gflops, ms_io_adjusted, gflops_io_adjusted}, tfjs: {ms, gflops}}].
 */
export async function benchKernels({ litecnn, ort, tf, warmup, runs, log = () => {} }) {
  const rows = [];
  const maxFloats = Math.max(...SHAPES.map((s) => s.cin * s.h * s.w + s.cout * s.oh * s.ow));
  const scratch = new Float32Array(maxFloats);
  for (const s of SHAPES) {
    const row = { id: s.id, kind: s.kind, h: s.h, w: s.w, cin: s.cin, cout: s.cout, k: s.k,
      stride: s.stride, pad: s.pad, group: s.group, mflop: s.flops / 1e6, models: s.models };
    const input = randomArray(s.cin * s.h * s.w, 9);

    const onnx = convModel(s);
    const lit = await litecnn.loadModel(onnx);
    const litFeeds = { X: new litecnn.Tensor(input, [1, s.cin, s.h, s.w]) };
    // ORT session.
    const session = await ort.InferenceSession.create(onnx, {
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

    const litMs = [];
    const ortMs = [];
    const tfMs = [];
    let kernel = null;
    for (let i = 0; i < warmup + runs; i++) {
      const { outputs, layers } = await lit.profile(litFeeds);
      if (outputs.Y.dims[1] !== s.cout || outputs.Y.dims[2] !== s.oh) throw new Error(`litecnn ${s.id}: dims ${outputs.Y.dims}`);
      const conv = layers.filter((l) => l.op === 'Conv');
      if (conv.length !== 1) throw new Error(`litecnn ${s.id}: expected one Conv node, profile has ${layers.map((l) => l.op)}`);
      kernel = conv[0].kernel;
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
        litMs.push(conv[0].ms);
        ortMs.push(ortOne);
        tfMs.push(t3 - t2);
      }
    }
    await session.release();
    lit.dispose();
    for (const t of [x, filter, bias]) t.dispose();

    const copy = copyCostMs(s.cin * s.h * s.w, s.cout * s.oh * s.ow, scratch, Math.max(runs, 5));
    const gf = (ms) => (ms > 0 ? s.flops / (ms * 1e6) : null);
    const om = median(ortMs);
    row.ort = { ms: om, p90_ms: percentile(ortMs, 90), gflops: gf(om), copy_ms: copy,
      ms_io_adjusted: Math.max(om - copy, 1e-6), gflops_io_adjusted: gf(Math.max(om - copy, 1e-6)) };
    const tm = median(tfMs);
    row.tfjs = { ms: tm, p90_ms: percentile(tfMs, 90), gflops: gf(tm) };
    const lm = median(litMs);
    row.litecnn = { ms: lm, p90_ms: percentile(litMs, 90), gflops: gf(lm), kernel };
    rows.push(row);
    log(`  ${s.id.padEnd(34)} litecnn ${row.litecnn.gflops.toFixed(2).padStart(6)}   ORT ${row.ort.gflops.toFixed(2).padStart(6)} ` +
      `(io-adj ${row.ort.gflops_io_adjusted.toFixed(2)})   TF.js ${row.tfjs.gflops.toFixed(2).padStart(6)} GFLOP/s   ${kernel}`);
  }
  return rows;
}

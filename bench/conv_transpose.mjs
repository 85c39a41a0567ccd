// ConvTranspose decoder blocks, litecnn (simd build) against onnxruntime-web (wasm, SIMD), one
// thread each: `node bench/conv_transpose.mjs [--runs N] [--warmup-ms MS]`.
// Each block is a one-node model (x -> ConvTranspose -> Relu, as decoders have it) with seeded
// weights. Both runtimes load it in this process and run interleaved (round k runs litecnn,
// then ORT), after a warm-up long enough for V8's tier-up (bench/stats.mjs). A run includes the
// copies in and out, as in bench/run.mjs. Printed: medians and litecnn / ORT (below 1: faster),
// after checking that the outputs agree.
import * as ort from 'onnxruntime-web';

import { Tensor, init, loadModel } from '../web/src/node.js';
import { encodeModel } from '../tests/node/onnx_encode.mjs';
import { maxAbs, maxAbsDiff, mulberry32 } from '../tests/node/model_helpers.mjs';
import { median, warmUp } from './stats.mjs';

const args = { runs: 30, warmupMs: 1500 };
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--runs') args.runs = Number(process.argv[++i]);
  else if (process.argv[i] === '--warmup-ms') args.warmupMs = Number(process.argv[++i]);
}

const BLOCKS = [
  // DCGAN generator: 4x4 stride 2 pad 1, channels halving as the map doubles.
  { name: 'dcgan 256->128 k4 s2 p1 16x16', c: 256, m: 128, h: 16, k: 4, s: 2, p: 1 },
  { name: 'dcgan 128->64 k4 s2 p1 32x32', c: 128, m: 64, h: 32, k: 4, s: 2, p: 1 },
  // Segmentation / autoencoder decoders: 3x3 stride 2 with output_padding, and U-Net's 2x2.
  { name: 'decoder 64->32 k3 s2 p1 op1 32x32', c: 64, m: 32, h: 32, k: 3, s: 2, p: 1, op: 1 },
  { name: 'unet 128->64 k2 s2 32x32', c: 128, m: 64, h: 32, k: 2, s: 2, p: 0 },
  // Depthwise upsampling (learned bilinear-like upsampling in light decoders).
  { name: 'depthwise 64 k4 s2 p1 32x32', c: 64, m: 64, h: 32, k: 4, s: 2, p: 1, group: 64 },
];

const uniform = (seed, n, scale) => {
  const next = mulberry32(seed);
  return Array.from({ length: n }, () => (next() / 2 ** 32 * 2 - 1) * scale);
};

function blockModel({ c, m, h, k, s, p, op = 0, group = 1 }) {
  const attributes = { strides: [s, s], pads: [p, p, p, p] };
  if (op) attributes.output_padding = [op, op];
  if (group > 1) attributes.group = group;
  return encodeModel({
    inputs: [{ name: 'x', dims: [1, c, h, h] }],
    outputs: [{ name: 'y', dims: ['n', 'c', 'h', 'w'] }],
    initializers: [
      { name: 'w', dims: [c, m / group, k, k], values: uniform(1, c * (m / group) * k * k, 0.1) },
      { name: 'b', dims: [m], values: uniform(2, m, 0.1) },
    ],
    nodes: [
      { op: 'ConvTranspose', inputs: ['x', 'w', 'b'], outputs: ['t'], attributes },
      { op: 'Relu', inputs: ['t'], outputs: ['y'] },
    ],
  });
}

await init({ backend: 'simd' });
ort.env.wasm.numThreads = 1;
ort.env.wasm.simd = true;
ort.env.logLevel = 'error';

console.log(`| block | litecnn ms | ORT ms | litecnn / ORT |`);
console.log(`| --- | --- | --- | --- |`);
for (const b of BLOCKS) {
  const bytes = blockModel(b);
  const dims = [1, b.c, b.h, b.h];
  const input = Float32Array.from(uniform(7, b.c * b.h * b.h, 1));
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const model = await loadModel(bytes);
  const ortRun = async () => (await session.run({ x: new ort.Tensor('float32', input, dims) })).y;
  const liteRun = async () => (await model.run({ x: new Tensor(input, dims) })).y;
  const ref = await ortRun(), out = await liteRun();
  const diff = maxAbsDiff(out.data, ref.data);
  if (!(diff <= 1e-4 * maxAbs(ref.data))) throw new Error(`${b.name}: outputs differ by ${diff}`);
  await warmUp(async () => { await liteRun(); await ortRun(); }, 5, args.warmupMs);
  const lite = [], orts = [];
  for (let i = 0; i < args.runs; i++) {
    let t0 = performance.now();
    await liteRun();
    lite.push(performance.now() - t0);
    t0 = performance.now();
    await ortRun();
    orts.push(performance.now() - t0);
  }
  const l = median(lite), o = median(orts);
  console.log(`| ${b.name} | ${l.toFixed(3)} | ${o.toFixed(3)} | ${(l / o).toFixed(2)} |`);
  model.dispose();
  await session.release();
}

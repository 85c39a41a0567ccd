// One small model run in litecnn and in onnxruntime-web (wasm backend, one thread) on the same
// seeded inputs: what the op tests (activations, norm_reduce, shape_ops, detect_ops, resize,
// conv_transpose) share. Each test file picks its litecnn build with init() before using these.
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-web';

import { Tensor, loadModel } from '../../web/src/node.js';
import { maxAbs, maxAbsDiff, mulberry32 } from './model_helpers.mjs';

ort.env.wasm.numThreads = 1;

export const size = (dims) => dims.reduce((a, b) => a * b, 1);

/** n seeded values, uniform in [lo, hi). */
export function uniform(seed, n, lo = -1, hi = 1) {
  const next = mulberry32(seed);
  return Float32Array.from({ length: n }, () => lo + (next() / 2 ** 32) * (hi - lo));
}

/** n seeded values, uniform in [-scale, scale). */
export function symmetric(seed, n, scale = 1) {
  const next = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (next() / 2 ** 32 * 2 - 1) * scale);
}

/**
 * Runs `bytes` in both on float32 feeds ({name: {data, dims}}). Returns litecnn's outputs
 * (`got`, Tensors by name), ORT's (`ref`, by name) and litecnn's output descriptions.
 */
export async function runBoth(bytes, feeds) {
  const ortFeeds = {}, liteFeeds = {};
  for (const [name, { data, dims }] of Object.entries(feeds)) {
    ortFeeds[name] = new ort.Tensor('float32', data, dims);
    liteFeeds[name] = new Tensor(data, dims);
  }
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  let ref;
  try {
    ref = await session.run(ortFeeds);
  } finally {
    await session.release();
  }
  const model = await loadModel(bytes);
  try {
    return { got: await model.run(liteFeeds), ref, outputs: model.outputs };
  } finally {
    model.dispose();
  }
}

/** Every element within rel * |ORT| + abs of ORT's; NaN exactly where ORT has NaN. */
export function assertClose(out, ref, what, { rel = 1e-4, abs = 0 } = {}) {
  assert.equal(out.length, ref.length, `${what}: length`);
  for (let i = 0; i < ref.length; ++i) {
    const r = Number(ref[i]), a = Number(out[i]);
    if (Number.isNaN(r)) {
      assert.ok(Number.isNaN(a), `${what}[${i}]: ${a}, ORT NaN`);
      continue;
    }
    const ok = a === r || Math.abs(a - r) <= rel * Math.abs(r) + abs;
    assert.ok(ok, `${what}[${i}]: ${a}, ORT ${r} (rel ${Math.abs(a - r) / Math.abs(r)})`);
  }
}

/** Runs `bytes` in both on input x; output y must have ORT's dims and values (assertClose). */
export async function compareY(what, bytes, feeds, tolerance) {
  const { got, ref } = await runBoth(bytes, feeds);
  assert.deepEqual(got.y.dims, Array.from(ref.y.dims), `${what}: dims`);
  assertClose(got.y.data, ref.y.data, what, tolerance);
  return { got: got.y, ref: ref.y };
}

/** max |out - ref| <= rel * max |ref|, the whole-tensor tolerance; ORT's output must not be all 0. */
export function assertWithinScale(out, ref, rel = 1e-4) {
  const scale = maxAbs(ref);
  assert.ok(scale > 0, 'ORT output is all zeros');
  const diff = maxAbsDiff(out, ref);
  assert.ok(diff <= rel * scale, `max |diff| ${diff}, max |ORT| ${scale}`);
}

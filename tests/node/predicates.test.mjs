// Predicates (Equal, Greater, Less, ...), Not and Where as detection heads use them, in litecnn
// and in onnxruntime-web (wasm, one thread) on the same seeded inputs: M-LSD's peak mask (a score
// kept where it is its 3x3 neighbourhood's maximum, Equal(MaxPool(s), s) -> Cast -> Mul) after a
// conv, and a thresholded selection with Where broadcasting a scalar. The zeros (the masks) must
// be the same elements, and the values kept agree to within 1e-6 (a conv's sum may round apart).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-web';

import { Tensor, init, loadModel } from '../../web/src/node.js';
import { encodeModel } from './onnx_encode.mjs';
import { mulberry32 } from './model_helpers.mjs';

await init({ backend: 'simd' });
ort.env.wasm.numThreads = 1;

const uniform = (seed, n, scale = 1) => {
  const next = mulberry32(seed);
  return Array.from({ length: n }, () => (next() / 2 ** 32 * 2 - 1) * scale);
};

async function compare(bytes, dims, seed) {
  const input = Float32Array.from(uniform(seed, dims.reduce((a, b) => a * b, 1), 2));
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const ref = (await session.run({ x: new ort.Tensor('float32', input, dims) })).y;
  const model = await loadModel(bytes);
  try {
    const out = (await model.run({ x: new Tensor(input, dims) })).y;
    assert.deepEqual(out.dims, Array.from(ref.dims));
    const zeros = (data) => Array.from(data, (v) => v === 0);
    assert.deepEqual(zeros(out.data), zeros(ref.data), 'the masks differ');
    for (let i = 0; i < ref.data.length; i++) {
      assert.ok(Math.abs(out.data[i] - ref.data[i]) <= 1e-6 * Math.abs(ref.data[i]), `element ${i}`);
    }
    return out.data;
  } finally {
    model.dispose();
  }
}

test('peak mask: Equal(MaxPool(s), s) -> Cast -> Mul after a conv, as M-LSD ends', async () => {
  const bytes = encodeModel({
    opset: 11,
    inputs: [{ name: 'x', dims: [1, 3, 17, 15] }],
    outputs: [{ name: 'y', dims: [1, 1, 17, 15] }],
    initializers: [{ name: 'w', dims: [1, 3, 3, 3], values: uniform(1, 27, 0.5) }],
    nodes: [
      { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], attributes: { pads: [1, 1, 1, 1] } },
      { op: 'Sigmoid', inputs: ['c'], outputs: ['s'] },
      { op: 'MaxPool', inputs: ['s'], outputs: ['p'], attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
      { op: 'Equal', inputs: ['s', 'p'], outputs: ['e'] },
      { op: 'Cast', inputs: ['e'], outputs: ['m'], attributes: { to: 1 } },
      { op: 'Mul', inputs: ['s', 'm'], outputs: ['y'] },
    ],
  });
  const y = await compare(bytes, [1, 3, 17, 15], 2);
  const peaks = y.filter((v) => v > 0).length;
  assert.ok(peaks > 3 && peaks < 17 * 15 / 4, `${peaks} peaks`);
});

test('Where(x > t or x < -t, x, 0) with Greater, Less, Or and Not, broadcasting scalars', async () => {
  const bytes = encodeModel({
    opset: 16,
    inputs: [{ name: 'x', dims: [2, 5, 7] }],
    outputs: [{ name: 'y', dims: [2, 5, 7] }],
    initializers: [
      { name: 't', dims: [], values: [0.8] },
      { name: 'nt', dims: [1, 1], values: [-0.8] },
      { name: 'zero', dims: [1], values: [0] },
    ],
    nodes: [
      { op: 'Greater', inputs: ['x', 't'], outputs: ['hi'] },
      { op: 'Less', inputs: ['x', 'nt'], outputs: ['lo'] },
      { op: 'Or', inputs: ['hi', 'lo'], outputs: ['keep'] },
      { op: 'Not', inputs: ['keep'], outputs: ['drop'] },
      { op: 'Where', inputs: ['drop', 'zero', 'x'], outputs: ['y'] },
    ],
  });
  const y = await compare(bytes, [2, 5, 7], 3);
  assert.ok(y.some((v) => v === 0) && y.some((v) => v !== 0));
});

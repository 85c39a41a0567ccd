// NonZero, GatherND, Pow, LayerNormalization and Range on activations, in litecnn and in
// onnxruntime-web (wasm, one thread) on the same seeded inputs: each after a conv (and a Relu
// where zeros or non-negative bases matter), so that it runs on a value computed at Run rather
// than being folded; Range, whose inputs must be constants, as a torch-style arange over the
// conv output's width (Shape, Gather, Cast), folded at load and added to the activation.
// Indices must be equal; values agree to within 1e-5 relative (a conv's sum may round apart).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { init } from '../../web/src/node.js';
import { encodeModel } from './onnx_encode.mjs';
import { assertClose, runBoth, size, symmetric } from './ort_compare.mjs';

await init({ backend: 'simd' });

const X_DIMS = [2, 3, 5, 6];
const C = 4;  // the conv's output channels: activations [2, 4, 5, 6]

// x -> Conv 3x3 (pads 1, 4 channels) -> 'c' [2, 4, 5, 6] (-> Relu 'r'), then `tail`.
function convModel(opset, tail, outputs, initializers = []) {
  return encodeModel({
    opset,
    inputs: [{ name: 'x', dims: X_DIMS }],
    outputs,
    initializers: [
      { name: 'w', dims: [C, 3, 3, 3], values: symmetric(1, C * 27, 0.4) },
      { name: 'b', dims: [C], values: symmetric(2, C, 0.2) },
      ...initializers,
    ],
    nodes: [
      { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attributes: { pads: [1, 1, 1, 1] } },
      { op: 'Relu', inputs: ['c'], outputs: ['r'] },
      ...tail,
    ],
  });
}

const feeds = (seed) => ({ x: { data: symmetric(seed, size(X_DIMS)), dims: X_DIMS } });
const close = (out, ref, what) => assertClose(out, ref, what, { rel: 1e-5, abs: 1e-6 });

async function compare(bytes, seed, names) {
  const { got, ref, outputs } = await runBoth(bytes, feeds(seed));
  for (const name of names) {
    assert.deepEqual(got[name].dims, Array.from(ref[name].dims), `${name}: dims`);
    close(got[name].data, ref[name].data, name);
  }
  return { got, ref, outputs };
}

test('NonZero of a Relu activation: [4, count] indices of the nonzero elements', async () => {
  for (const opset of [9, 13]) {
    const bytes = convModel(opset, [{ op: 'NonZero', inputs: ['r'], outputs: ['nz'] }], [
      { name: 'nz', dims: [4, 'n'], dtype: 'int64' },
    ]);
    const { got, outputs } = await compare(bytes, 3 + opset, ['nz']);
    assert.deepEqual(outputs.find((o) => o.name === 'nz').dims, [4, -1]);
    // The Relu zeroed some elements, not all.
    const n = got.nz.dims[1];
    assert.ok(n > 0 && n < size([2, C, 5, 6]), `count ${n}`);
  }
});

test('NonZero of a predicate on a conv output (bool input)', async () => {
  const bytes = convModel(13, [
    { op: 'Greater', inputs: ['c', 'thr'], outputs: ['mask'] },
    { op: 'NonZero', inputs: ['mask'], outputs: ['nz'] },
  ], [{ name: 'nz', dims: [4, 'n'], dtype: 'int64' }], [{ name: 'thr', dims: [], values: [0.3] }]);
  await compare(bytes, 5, ['nz']);
});

test('GatherND of a conv output: (n, c) tuples, negative indices, and batch_dims 1', async () => {
  const pairs = [0, 1, 1, -1, -2, 0, 1, 2, -1, -4];  // five (n, c) tuples
  const plain = convModel(11, [
    { op: 'GatherND', inputs: ['c', 'i'], outputs: ['y'] },
  ], [{ name: 'y', dims: [5, 5, 6] }], [{ name: 'i', dims: [5, 2], values: pairs, dtype: 'int64' }]);
  await compare(plain, 7, ['y']);
  // batch_dims 1: per image, three (c, h, w) tuples of the Relu output.
  const tuples = [0, 0, 0, 3, 4, 5, -1, 2, -3, 1, 1, 1, 2, -5, 0, -4, 3, -6];
  const batched = convModel(13, [
    { op: 'GatherND', inputs: ['r', 'i'], outputs: ['y'], attributes: { batch_dims: 1 } },
  ], [{ name: 'y', dims: [2, 3] }], [{ name: 'i', dims: [2, 3, 3], values: tuples, dtype: 'int64' }]);
  await compare(batched, 8, ['y']);
});

test('Pow of conv outputs: x^2, x^0.5, x^3 (negative bases), per-channel and int64 exponents', async () => {
  const cases = [
    [7, 'r', { name: 'e', dims: [], values: [2] }],
    [7, 'r', { name: 'e', dims: [], values: [0.5] }],
    [13, 'c', { name: 'e', dims: [1], values: [3] }],
    [15, 'r', { name: 'e', dims: [C, 1, 1], values: [0.5, 1.5, 2.5, -0.75] }],
    [15, 'c', { name: 'e', dims: [C, 1, 1], values: [2, 3, -1, 0], dtype: 'int64' }],
  ];
  const dims = [2, C, 5, 6];
  for (const [opset, base, exponent] of cases) {
    const what = `opset ${opset} Pow(${base}, ${exponent.values})`;
    const bytes = convModel(opset, [{ op: 'Pow', inputs: [base, 'e'], outputs: ['y'] }], [
      { name: 'y', dims },
      { name: base, dims },
    ], [exponent]);
    const { got, ref } = await runBoth(bytes, feeds(9 + opset));
    // The conv's sums round apart by ~1e-5 relative where they nearly cancel, and a power
    // scales that by its exponent: the whole graph agrees to 2e-4 ...
    assertClose(got.y.data, ref.y.data, what, { rel: 2e-4, abs: 1e-7 });
    // ... and Pow itself, on litecnn's base in both, to 1e-6.
    const alone = encodeModel({
      opset,
      inputs: [{ name: 'x', dims }],
      outputs: [{ name: 'y', dims }],
      initializers: [exponent],
      nodes: [{ op: 'Pow', inputs: ['x', 'e'], outputs: ['y'] }],
    });
    const pow = await runBoth(alone, { x: { data: got[base].data, dims } });
    assertClose(pow.got.y.data, pow.ref.y.data, `${what} alone`, { rel: 1e-6 });
  }
});

test('LayerNormalization of a conv output over the last axes, with Mean and InvStdDev', async () => {
  for (const [axis, normDims] of [[-1, [6]], [1, [C, 5, 6]], [2, [5, 6]]]) {
    const n = size(normDims);
    const bytes = convModel(17, [{
      op: 'LayerNormalization',
      inputs: ['c', 's', 'bias'],
      outputs: ['y', 'mean', 'inv'],
      attributes: { axis, epsilon: 1e-3 },
    }], [
      { name: 'y', dims: [2, C, 5, 6] },
      { name: 'mean', dims: null },
      { name: 'inv', dims: null },
    ], [
      { name: 's', dims: normDims, values: symmetric(30 + axis, n, 1.5) },
      { name: 'bias', dims: [normDims.at(-1)], values: symmetric(40 + axis, normDims.at(-1), 0.5) },
    ]);
    await compare(bytes, 11, ['y', 'mean', 'inv']);
  }
});

test('Range over the conv output width (Shape, Gather) folds and adds to the activation', async () => {
  const width = [
    { op: 'Shape', inputs: ['c'], outputs: ['shape'] },
    { op: 'Gather', inputs: ['shape', 'three'], outputs: ['width'], attributes: { axis: 0 } },
  ];
  const three = { name: 'three', dims: [], values: [3], dtype: 'int64' };
  // float32: 5.5, 4.5, ... above -0.5 (6 elements), from the width cast to float.
  const floats = convModel(13, [
    ...width,
    { op: 'Cast', inputs: ['width'], outputs: ['wf'], attributes: { to: 1 } },
    { op: 'Sub', inputs: ['wf', 'half'], outputs: ['start'] },
    { op: 'Range', inputs: ['start', 'limit', 'step'], outputs: ['ramp'] },
    { op: 'Add', inputs: ['r', 'ramp'], outputs: ['y'] },
  ], [{ name: 'y', dims: [2, C, 5, 6] }], [
    three,
    { name: 'half', dims: [], values: [0.5] },
    { name: 'limit', dims: [], values: [-0.5] },
    { name: 'step', dims: [], values: [-1] },
  ]);
  await compare(floats, 12, ['y']);
  // int64: 0..5, cast to float.
  const ints = convModel(13, [
    ...width,
    { op: 'Range', inputs: ['zero', 'width', 'one'], outputs: ['ramp'] },
    { op: 'Cast', inputs: ['ramp'], outputs: ['rampf'], attributes: { to: 1 } },
    { op: 'Add', inputs: ['r', 'rampf'], outputs: ['y'] },
  ], [{ name: 'y', dims: [2, C, 5, 6] }], [
    three,
    { name: 'zero', dims: [], values: [0], dtype: 'int64' },
    { name: 'one', dims: [], values: [1], dtype: 'int64' },
  ]);
  await compare(ints, 13, ['y']);
});

// TopK and NonMaxSuppression on activations, in litecnn and in onnxruntime-web (wasm, one
// thread) on the same seeded inputs: TopK over a classifier head's scores (conv, global average
// pool, flatten) at opsets 1, 10 and 11 (largest and smallest), and over int64 scores with many
// ties (the lower index first); NonMaxSuppression on the boxes and scores of a small conv head,
// in both box formats (corners from a raw conv, so of either diagonal; centres and sizes from a
// sigmoid), two batches, three classes. Indices must be equal and values agree to within 1e-5
// relative (a conv's sum may round apart); the selected rows must be the same rows, and the
// output as long as ORT's.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { init, loadModel } from '../../web/src/node.js';
import { encodeModel } from './onnx_encode.mjs';
import { assertClose, runBoth as runBothOn, size, symmetric as uniform } from './ort_compare.mjs';

await init({ backend: 'simd' });

// Runs the model on seeded input x in both; returns [litecnn outputs, ORT outputs] by name.
async function runBoth(bytes, dims, seed) {
  const { got, ref, outputs } = await runBothOn(bytes, { x: { data: uniform(seed, size(dims)), dims } });
  return [got, ref, outputs];
}

const assertValuesClose = (out, ref, what) => assertClose(out, ref, what, { rel: 1e-5, abs: 1e-7 });

// ---- TopK over a classifier head ------------------------------------------------------------

const X_DIMS = [2, 8, 9, 9];
const CLASSES = 40;

// x -> Conv 3x3 (40 classes) -> Relu -> GlobalAveragePool -> Flatten -> [2, 40] scores, then
// `tail` nodes reading 's'.
function headModel(opset, tail, outputs, initializers = []) {
  return encodeModel({
    opset,
    inputs: [{ name: 'x', dims: X_DIMS }],
    outputs,
    initializers: [
      { name: 'w', dims: [CLASSES, 8, 3, 3], values: uniform(1, CLASSES * 8 * 9, 0.3) },
      { name: 'b', dims: [CLASSES], values: uniform(2, CLASSES, 0.1) },
      ...initializers,
    ],
    nodes: [
      { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attributes: { pads: [1, 1, 1, 1] } },
      { op: 'Relu', inputs: ['c'], outputs: ['r'] },
      { op: 'GlobalAveragePool', inputs: ['r'], outputs: ['p'] },
      { op: 'Flatten', inputs: ['p'], outputs: ['s'] },
      ...tail,
    ],
  });
}

const topKOutputs = (k, dtype = 'float32') => [
  { name: 'values', dims: [2, k], dtype },
  { name: 'indices', dims: [2, k], dtype: 'int64' },
];

async function compareTopK(bytes, k, seed) {
  const [out, ref] = await runBoth(bytes, X_DIMS, seed);
  assert.deepEqual(out.indices.dims, [2, k]);
  assert.deepEqual(out.values.dims, Array.from(ref.values.dims));
  assert.deepEqual(Array.from(out.indices.data), Array.from(ref.indices.data), 'indices');
  assertValuesClose(out.values.data, ref.values.data, 'values');
  return out;
}

test('TopK version 1 (k attribute) of a conv classifier head', async () => {
  const bytes = headModel(9, [
    { op: 'TopK', inputs: ['s'], outputs: ['values', 'indices'], attributes: { axis: 1, k: 5 } },
  ], topKOutputs(5));
  const out = await compareTopK(bytes, 5, 3);
  // Best first.
  for (let i = 1; i < 5; i++) assert.ok(out.values.data[i - 1] >= out.values.data[i]);
});

test('TopK version 10 (K input, axis -1) of a conv classifier head', async () => {
  const bytes = headModel(10, [
    { op: 'TopK', inputs: ['s', 'k'], outputs: ['values', 'indices'], attributes: { axis: -1 } },
  ], topKOutputs(7), [{ name: 'k', dims: [1], values: [7], dtype: 'int64' }]);
  await compareTopK(bytes, 7, 4);
});

test('TopK version 11, largest and smallest, k of 1 and of every class', async () => {
  for (const [largest, k] of [[1, 1], [0, 3], [0, CLASSES], [1, CLASSES]]) {
    const bytes = headModel(11, [
      { op: 'TopK', inputs: ['s', 'k'], outputs: ['values', 'indices'], attributes: { largest } },
    ], topKOutputs(k), [{ name: 'k', dims: [1], values: [k], dtype: 'int64' }]);
    await compareTopK(bytes, k, 5 + k);
  }
});

test('TopK of int64 scores with ties puts the lower index first, as ORT does', async () => {
  for (const largest of [1, 0]) {
    // Scores x 4 truncated to int64: a few levels, so most rows tie several classes.
    const bytes = headModel(11, [
      { op: 'Mul', inputs: ['s', 'four'], outputs: ['m'] },
      { op: 'Cast', inputs: ['m'], outputs: ['q'], attributes: { to: 7 } },
      { op: 'TopK', inputs: ['q', 'k'], outputs: ['values', 'indices'], attributes: { largest } },
    ], topKOutputs(12, 'int64'), [
      { name: 'four', dims: [], values: [4] },
      { name: 'k', dims: [1], values: [12], dtype: 'int64' },
    ]);
    const out = await compareTopK(bytes, 12, 6);
    const v = Array.from(out.values.data);
    assert.ok(v.some((a, i) => i > 0 && a === v[i - 1]), 'no ties to order');
  }
});

// ---- NonMaxSuppression after a conv head ----------------------------------------------------

const FEATURE_DIMS = [2, 6, 7, 7];  // 49 anchors per image
const ANCHORS = 49;

// x -> 1x1 convs: 4 box channels and 3 class channels per anchor, reshaped to boxes [2, 49, 4]
// and scores [2, 3, 49] (sigmoid), -> NonMaxSuppression. center: box channels through a sigmoid
// scaled to centres in [0, 7) and sizes in [0, 3); corners: the raw conv, corners in any order.
function nmsModel({ center, maxOut, iou, scoreThreshold }) {
  const boxNodes = center
    ? [
        { op: 'Sigmoid', inputs: ['braw'], outputs: ['bsig'] },
        { op: 'Mul', inputs: ['bsig', 'scale'], outputs: ['boxes'] },
      ]
    : [];
  return encodeModel({
    opset: 11,
    inputs: [{ name: 'x', dims: FEATURE_DIMS }],
    outputs: [{ name: 'selected', dims: ['n', 3], dtype: 'int64' }],
    initializers: [
      { name: 'wb', dims: [4, 6, 1, 1], values: uniform(11, 24, 1) },
      { name: 'wc', dims: [3, 6, 1, 1], values: uniform(12, 18, 1.5) },
      { name: 'box_shape', dims: [3], values: [2, 4, ANCHORS], dtype: 'int64' },
      { name: 'score_shape', dims: [3], values: [2, 3, ANCHORS], dtype: 'int64' },
      { name: 'scale', dims: [1, 1, 4], values: [7, 7, 3, 3] },
      { name: 'max', dims: [1], values: [maxOut], dtype: 'int64' },
      { name: 'iou', dims: [1], values: [iou] },
      { name: 'thr', dims: [1], values: [scoreThreshold] },
    ],
    nodes: [
      { op: 'Conv', inputs: ['x', 'wb'], outputs: ['bc'] },
      { op: 'Reshape', inputs: ['bc', 'box_shape'], outputs: ['bflat'] },
      { op: 'Transpose', inputs: ['bflat'], outputs: ['braw'], attributes: { perm: [0, 2, 1] } },
      ...boxNodes,
      { op: 'Conv', inputs: ['x', 'wc'], outputs: ['cc'] },
      { op: 'Reshape', inputs: ['cc', 'score_shape'], outputs: ['sflat'] },
      { op: 'Sigmoid', inputs: ['sflat'], outputs: ['scores'] },
      {
        op: 'NonMaxSuppression',
        inputs: [center ? 'boxes' : 'braw', 'scores', 'max', 'iou', 'thr'],
        outputs: ['selected'],
        attributes: { center_point_box: center ? 1 : 0 },
      },
    ],
  });
}

async function compareNms(spec, seed) {
  const [out, ref, outputs] = await runBoth(nmsModel(spec), FEATURE_DIMS, seed);
  assert.deepEqual(outputs.find((o) => o.name === 'selected').dims, [-1, 3]);
  const got = out.selected;
  assert.deepEqual(got.dims, Array.from(ref.selected.dims));
  assert.deepEqual(Array.from(got.data), Array.from(ref.selected.data));
  return got;
}

test('NonMaxSuppression of a conv head, corner boxes of either diagonal', async () => {
  const got = await compareNms({ center: false, maxOut: 12, iou: 0.3, scoreThreshold: 0.6 }, 21);
  // Rows per (batch, class): some classes stopped at 12, others were cut by the thresholds
  // before, so neither bound alone decides the length.
  const perClass = new Map();
  for (let r = 0; r < got.dims[0]; r++) {
    const key = `${got.data[r * 3]},${got.data[r * 3 + 1]}`;
    perClass.set(key, (perClass.get(key) ?? 0) + 1);
  }
  const counts = [...perClass.values()];
  assert.ok(counts.includes(12) && counts.some((n) => n < 12), `rows per class: ${counts}`);
});

test('NonMaxSuppression of a conv head, centre boxes, three threshold settings, two batches', async () => {
  for (const [maxOut, iou, scoreThreshold] of [[100, 0.5, 0.0], [3, 0.0, 0.5], [10, 0.7, 0.6]]) {
    const got = await compareNms({ center: true, maxOut, iou, scoreThreshold }, 22 + maxOut);
    const batches = new Set(Array.from({ length: got.dims[0] }, (_, r) => got.data[r * 3]));
    assert.equal(batches.size, 2);
  }
});

test('a node reading NonMaxSuppression output is refused as Unsupported', async () => {
  const bytes = encodeModel({
    opset: 11,
    inputs: [{ name: 'x', dims: [1, 5, 4] }],
    outputs: [{ name: 'box', dims: ['n', 1], dtype: 'int64' }],
    initializers: [
      { name: 'scores', dims: [1, 1, 5], values: [0.9, 0.8, 0.7, 0.6, 0.5] },
      { name: 'max', dims: [1], values: [3], dtype: 'int64' },
      { name: 'col', dims: [1], values: [2], dtype: 'int64' },
    ],
    nodes: [
      { op: 'NonMaxSuppression', inputs: ['x', 'scores', 'max'], outputs: ['sel'], name: 'nms' },
      { op: 'Gather', inputs: ['sel', 'col'], outputs: ['box'], attributes: { axis: 1 }, name: 'pick' },
    ],
  });
  await assert.rejects(loadModel(bytes), (e) => {
    assert.equal(e.code, 'Unsupported');
    assert.match(e.message, /NonMaxSuppression node 'nms'.*length its values decide.*Gather node 'pick'/);
    return true;
  });
});

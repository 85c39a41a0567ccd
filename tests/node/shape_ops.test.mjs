// The data-movement ops (DepthToSpace, SpaceToDepth, Expand, Tile, Gather, GatherElements) and
// ArgMax / ArgMin in litecnn and in onnxruntime-web (wasm, one thread) on the same seeded inputs,
// each between convs so that it runs on an activation (NHWC inside litecnn where the op takes
// it) instead of folding at load: the sub-pixel upsampling block of super-resolution nets
// (conv -> DepthToSpace), gathers with constant and run-time indices (negative ones, indices of
// rank 0 to 4), and arg-reductions with ties. Moved elements are exact; what follows a conv
// agrees to within 1e-5 relative (the convs' sums may round apart); int64 outputs are equal.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { init } from '../../web/src/node.js';
import { mulberry32 } from './model_helpers.mjs';
import { encodeModel } from './onnx_encode.mjs';
import { assertClose, runBoth, size, symmetric as uniform } from './ort_compare.mjs';

await init({ backend: 'simd' });

// A conv of `cin` to `cout` channels (k x k, same padding) from `from` to `to`, its weights `w_<to>`.
function conv(from, to, cin, cout, k = 3, seed = cout * 31 + cin) {
  return {
    init: { name: `w_${to}`, dims: [cout, cin, k, k], values: uniform(seed, cout * cin * k * k, 0.5) },
    node: { op: 'Conv', inputs: [from, `w_${to}`], outputs: [to], attributes: { pads: Array(4).fill((k - 1) / 2) } },
  };
}

const int64 = (name, dims, values) => ({ name, dims, values, dtype: 'int64' });

// Runs the model in both on x (seeded); compares output y, float32 or int64 (`yType`). Indices
// computed at run time come from the graph (ArgMax): litecnn's JS API feeds float32 only.
async function compare(spec, { xDims, yType = 'float32', seed = 5 }) {
  const bytes = encodeModel({
    opset: 13,
    ...spec,
    inputs: [{ name: 'x', dims: xDims }],
    outputs: [{ name: 'y', dims: null, dtype: yType }],
  });
  const x = uniform(seed, size(xDims), 2);
  const { got, ref } = await runBoth(bytes, { x: { data: x, dims: xDims } });
  const out = got.y;
  assert.deepEqual(out.dims, Array.from(ref.y.dims), 'dims');
  assert.equal(out.dtype, yType);
  if (yType === 'int64') {
    assert.deepEqual(Array.from(out.data), Array.from(ref.y.data));
  } else {
    assertClose(out.data, ref.y.data, 'y', { rel: 1e-5, abs: 1e-6 });
  }
  return out;
}

// x -> conv (cin -> mid) -> op(s) -> conv (out -> cout) -> y.
function between({ cin = 3, mid, out, cout = 4, k = 3, nodes, initializers = [], last = true }) {
  const first = conv('x', 'a', cin, mid);
  const tail = conv('b', 'y', out, cout, k);
  return {
    initializers: [first.init, ...initializers, ...(last ? [tail.init] : [])],
    nodes: [first.node, ...nodes, ...(last ? [tail.node] : [])],
  };
}

for (const mode of ['DCR', 'CRD']) {
  test(`DepthToSpace ${mode} between convs (sub-pixel upsampling, blocksize 2 and 3)`, async () => {
    for (const b of [2, 3]) {
      const spec = between({
        mid: 2 * b * b, out: 2,
        nodes: [{ op: 'DepthToSpace', inputs: ['a'], outputs: ['b'], attributes: { blocksize: b, mode } }],
      });
      const y = await compare(spec, { xDims: [1, 3, 7, 9] });
      assert.deepEqual(y.dims, [1, 4, 7 * b, 9 * b]);
    }
  });
}

test('DepthToSpace as a super-resolution net ends: conv -> DepthToSpace -> output, batch 2', async () => {
  // ESPCN's tail: 3 * 3^2 channels into a 3-channel image 3 times as large.
  const c = conv('x', 'a', 4, 27);
  await compare({
    initializers: [c.init],
    nodes: [c.node, { op: 'DepthToSpace', inputs: ['a'], outputs: ['y'], attributes: { blocksize: 3 } }],
  }, { xDims: [2, 4, 5, 6] });
});

test('DepthToSpace version 1 (opset 9, DCR) between convs', async () => {
  const spec = between({ mid: 8, out: 2, nodes: [{ op: 'DepthToSpace', inputs: ['a'], outputs: ['b'], attributes: { blocksize: 2 } }] });
  await compare({ ...spec, opset: 9 }, { xDims: [1, 3, 6, 5] });
});

test('SpaceToDepth between convs, blocksize 2 and 3', async () => {
  for (const b of [2, 3]) {
    const spec = between({ mid: 5, out: 5 * b * b, k: 1, nodes: [{ op: 'SpaceToDepth', inputs: ['a'], outputs: ['b'], attributes: { blocksize: b } }] });
    await compare(spec, { xDims: [1, 3, 6, 12] });
  }
});

test('Expand of a conv output: batch and H broadcast, then a conv', async () => {
  // [1, 5, 1, 7] (a conv over a 1-row input) expanded to [3, 5, 4, 7].
  const spec = between({
    mid: 5, out: 5,
    initializers: [int64('shape', [4], [3, 1, 4, 1])],
    nodes: [{ op: 'Expand', inputs: ['a', 'shape'], outputs: ['b'] }],
  });
  const y = await compare(spec, { xDims: [1, 3, 1, 7] });
  assert.deepEqual(y.dims, [3, 4, 4, 7]);
});

test('Expand of a conv output to a higher rank (5-D output)', async () => {
  const c = conv('x', 'a', 3, 4);
  await compare({
    initializers: [c.init, int64('shape', [5], [2, 1, 4, 1, 6])],
    nodes: [c.node, { op: 'Expand', inputs: ['a', 'shape'], outputs: ['y'] }],
  }, { xDims: [1, 3, 5, 6] });
});

test('Tile of a conv output on every axis, then a conv', async () => {
  const spec = between({
    mid: 3, out: 6,
    initializers: [int64('repeats', [4], [2, 2, 1, 3])],
    nodes: [{ op: 'Tile', inputs: ['a', 'repeats'], outputs: ['b'] }],
  });
  const y = await compare(spec, { xDims: [1, 3, 5, 4] });
  assert.deepEqual(y.dims, [2, 4, 5, 12]);
});

test('Tile version 6 (opset 6) of a conv output', async () => {
  const c = conv('x', 'a', 3, 2);
  await compare({
    opset: 6,
    initializers: [c.init, int64('repeats', [4], [1, 3, 2, 1])],
    nodes: [c.node, { op: 'Tile', inputs: ['a', 'repeats'], outputs: ['y'] }],
  }, { xDims: [1, 3, 4, 5] });
});

test('Gather of channels with constant negative indices between convs', async () => {
  const spec = between({
    mid: 6, out: 4,
    initializers: [int64('idx', [4], [5, 0, -1, -4])],
    nodes: [{ op: 'Gather', inputs: ['a', 'idx'], outputs: ['b'], attributes: { axis: 1 } }],
  });
  await compare(spec, { xDims: [2, 3, 5, 6] });
});

test('Gather along W with 2-D indices (5-D output) and along H with a scalar index', async () => {
  const c = conv('x', 'a', 3, 4);
  await compare({
    initializers: [c.init, int64('idx', [2, 3], [0, -1, 2, 5, 5, -6])],
    nodes: [c.node, { op: 'Gather', inputs: ['a', 'idx'], outputs: ['y'], attributes: { axis: -1 } }],
  }, { xDims: [1, 3, 4, 6] });
  const d = conv('x', 'a', 3, 4);
  const y = await compare({
    initializers: [d.init, int64('idx', [], [-2])],
    nodes: [d.node, { op: 'Gather', inputs: ['a', 'idx'], outputs: ['y'], attributes: { axis: 2 } }],
  }, { xDims: [1, 3, 4, 6] });
  assert.deepEqual(y.dims, [1, 4, 6]);
});

test('Gather with run-time negative indices: ArgMax of a conv output minus W', async () => {
  // idx = ArgMax(a, W) - 5, in [-5, 0), [1, 4, 3, 1]: the output is [1, 4, 3, 1, 4, 3, 1].
  const c = conv('x', 'a', 3, 4);
  await compare({
    initializers: [c.init, int64('w', [], [-5])],
    nodes: [
      c.node,
      { op: 'ArgMax', inputs: ['a'], outputs: ['m'], attributes: { axis: 3 } },
      { op: 'Add', inputs: ['m', 'w'], outputs: ['idx'] },
      { op: 'Gather', inputs: ['a', 'idx'], outputs: ['y'], attributes: { axis: 3 } },
    ],
  }, { xDims: [1, 3, 3, 5] });
});

test('GatherElements along channels with constant negative indices between convs', async () => {
  // Indices [1, 3, 4, 5] into a [1, 6, 4, 5] activation: fewer channels than the data.
  const n = 3 * 4 * 5;
  const next = mulberry32(9);
  const idx = Array.from({ length: n }, () => (next() % 12) - 6);
  const spec = between({
    mid: 6, out: 3,
    initializers: [int64('idx', [1, 3, 4, 5], idx)],
    nodes: [{ op: 'GatherElements', inputs: ['a', 'idx'], outputs: ['b'], attributes: { axis: 1 } }],
  });
  await compare(spec, { xDims: [1, 3, 4, 5] });
});

test('GatherElements along H with run-time negative indices: ArgMin minus H picks the minimum', async () => {
  const spec = between({
    mid: 5, out: 5, cout: 2,
    initializers: [int64('h', [], [-6])],
    nodes: [
      { op: 'ArgMin', inputs: ['a'], outputs: ['m'], attributes: { axis: -2 } },
      { op: 'Add', inputs: ['m', 'h'], outputs: ['idx'] },
      { op: 'GatherElements', inputs: ['a', 'idx'], outputs: ['b'], attributes: { axis: -2 } },
    ],
  });
  await compare(spec, { xDims: [1, 3, 6, 7] });
});

test('GatherElements at ArgMax picks the channel maximum (indices computed at run time)', async () => {
  const spec = between({
    mid: 6, out: 1, cout: 2,
    nodes: [
      { op: 'ArgMax', inputs: ['a'], outputs: ['i'], attributes: { axis: 1 } },
      { op: 'GatherElements', inputs: ['a', 'i'], outputs: ['b'], attributes: { axis: 1 } },
    ],
  });
  await compare(spec, { xDims: [1, 3, 6, 7] });
});

test('ArgMax and ArgMin of a conv output: axes, keepdims, opset 11 and 13', async () => {
  for (const [op, axis, keepdims, opset] of [['ArgMax', 1, 0, 13], ['ArgMin', -1, 1, 13], ['ArgMax', 2, 1, 11], ['ArgMin', 0, 0, 11]]) {
    const c = conv('x', 'a', 3, 5);
    await compare({
      opset,
      initializers: [c.init],
      nodes: [c.node, { op, inputs: ['a'], outputs: ['y'], attributes: { axis, keepdims } }],
    }, { xDims: [2, 3, 6, 7], yType: 'int64' });
  }
});

test('ArgMax and ArgMin with ties (Relu zeros), first and last index', async () => {
  for (const op of ['ArgMax', 'ArgMin']) {
    const picks = [];
    for (const last of [0, 1]) {
      const c = conv('x', 'a', 3, 6);
      const out = await compare({
        initializers: [c.init],
        nodes: [
          c.node,
          { op: 'Relu', inputs: ['a'], outputs: ['r'] },
          { op, inputs: ['r'], outputs: ['y'], attributes: { axis: 1, select_last_index: last } },
        ],
      }, { xDims: [1, 3, 6, 7], yType: 'int64', seed: 8 });
      picks.push(Array.from(out.data));
    }
    // Zeros tie wherever two channels are negative: the two rules must pick apart somewhere.
    if (op === 'ArgMin') assert.notDeepEqual(picks[0], picks[1]);
  }
});

test('shape arithmetic folds at load: Expand to Shape-derived dims of a conv output', async () => {
  // shape = Concat([2], Shape(a)[1:]): what torch emits for x.expand(2, *x.shape[1:]).
  const c = conv('x', 'a', 3, 4);
  await compare({
    initializers: [c.init, int64('two', [1], [2]), int64('one', [1], [1]), int64('big', [1], [8])],
    nodes: [
      c.node,
      { op: 'Shape', inputs: ['a'], outputs: ['s'] },
      { op: 'Slice', inputs: ['s', 'one', 'big'], outputs: ['tail'] },
      { op: 'Concat', inputs: ['two', 'tail'], outputs: ['shape'], attributes: { axis: 0 } },
      { op: 'Expand', inputs: ['a', 'shape'], outputs: ['y'] },
    ],
  }, { xDims: [1, 3, 4, 5] });
});

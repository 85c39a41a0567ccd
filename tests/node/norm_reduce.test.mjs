// The normalisation and reduction ops in litecnn and in onnxruntime-web (wasm backend, one
// thread) on the same seeded inputs, each after a conv so that it runs on an activation (NHWC
// inside litecnn, converted or read in place) instead of being folded at load: ReduceSum and
// ReduceMax with axes as an attribute (ReduceSum 12, ReduceMax 13) and as an input (ReduceSum
// 13 and 18, ReduceMax 18), the other reductions at 13 and 18, LRN at opset 9 in an AlexNet-like
// conv -> relu -> LRN -> maxpool, and InstanceNormalization after a conv and on a 3-D input.
// Every element must agree to within 1e-4 relative (plus 1e-5 absolute); NaN where ORT has NaN.
import { test } from 'node:test';

import { init } from '../../web/src/node.js';
import { encodeModel } from './onnx_encode.mjs';
import { compareY, size, uniform } from './ort_compare.mjs';

await init();

// Runs the model in both on input x; compares output y (dims and values).
const compare = (what, spec, x, xDims) =>
  compareY(what, encodeModel(spec), { x: { data: x, dims: xDims } }, { rel: 1e-4, abs: 1e-5 });

// x [1, 3, 13, 11] -> 3x3 conv (pad 1) to 17 channels -> `nodes` reading 'c'.
const X_DIMS = [1, 3, 13, 11], C = 17;
const convInit = [
  { name: 'w', dims: [C, 3, 3, 3], values: Array.from(uniform(1, C * 27, -0.5, 0.5)) },
  { name: 'b', dims: [C], values: Array.from(uniform(2, C, -0.2, 0.2)) },
];
const conv = { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attributes: { pads: [1, 1, 1, 1] } };
const X = uniform(3, size(X_DIMS), -1, 1);

function afterConv(opset, nodes, initializers = []) {
  return {
    opset,
    inputs: [{ name: 'x', dims: X_DIMS }],
    outputs: [{ name: 'y', dims: null }],
    initializers: [...convInit, ...initializers],
    nodes: [conv, ...nodes],
  };
}

// A reduction of the conv's output: axes as an attribute (before the version that takes them
// as an input) or as an int64 initializer input; undefined axes: none given (every axis).
function reduction(op, opset, { axes, asInput, keepdims, noop } = {}) {
  const attributes = {};
  if (keepdims !== undefined) attributes.keepdims = keepdims;
  if (noop !== undefined) attributes.noop_with_empty_axes = noop;
  const inits = [];
  const inputs = ['c'];
  if (axes !== undefined && asInput) {
    inits.push({ name: 'axes', dims: [axes.length], values: axes, dtype: 'int64' });
    inputs.push('axes');
  } else if (axes !== undefined) {
    attributes.axes = axes;
  }
  // LogSum needs a positive sum: reduce the square of the activation.
  const pre = op === 'ReduceLogSum' ? [{ op: 'Mul', inputs: ['c', 'c'], outputs: ['c2'] }] : [];
  if (pre.length) inputs[0] = 'c2';
  return afterConv(opset, [...pre, { op, inputs, outputs: ['y'], attributes }], inits);
}

const reduceCases = [
  // ReduceSum: attribute at 12, input at 13 and 18.
  ['ReduceSum', 12, { axes: [1] }],
  ['ReduceSum', 12, { axes: [2, 3], keepdims: 0 }],
  ['ReduceSum', 13, { axes: [1], asInput: true }],
  ['ReduceSum', 13, { axes: [-1, 2], asInput: true, keepdims: 0 }],
  ['ReduceSum', 13, {}],
  ['ReduceSum', 18, { axes: [3], asInput: true }],
  ['ReduceSum', 18, { axes: [], asInput: true, noop: 1 }],
  // ReduceMax: attribute at 13, input at 18.
  ['ReduceMax', 13, { axes: [1] }],
  ['ReduceMax', 13, { axes: [2, 3], keepdims: 0 }],
  ['ReduceMax', 13, {}],
  ['ReduceMax', 18, { axes: [1], asInput: true }],
  ['ReduceMax', 18, { axes: [0, 2], asInput: true, keepdims: 0 }],
  ['ReduceMax', 18, {}],
];
for (const op of ['ReduceMin', 'ReduceSumSquare', 'ReduceL1', 'ReduceL2', 'ReduceLogSum',
  'ReduceLogSumExp', 'ReduceProd', 'ReduceMean']) {
  reduceCases.push([op, 13, { axes: [1] }]);
  reduceCases.push([op, 18, { axes: [2, -1], asInput: true, keepdims: 0 }]);
}

for (const [op, opset, options] of reduceCases) {
  const what = `${op} opset ${opset} ${JSON.stringify(options)}`;
  test(`litecnn vs ORT after a conv: ${what}`, async () => {
    await compare(what, reduction(op, opset, options), X, X_DIMS);
  });
}

// AlexNet-like, opset 9: 5x5 conv stride 2 to 48 channels -> Relu -> LRN -> 3x3 maxpool stride 2;
// AlexNet's LRN (size 5, alpha 1e-4, beta 0.75, bias 1) and one whose normalisation dominates
// (other beta: the kernel's general power path). ORT refuses even sizes, which the kernel
// tests cover against the direct window sums.
const LRN_X_DIMS = [2, 3, 31, 29], LRN_C = 48;
for (const lrn of [
  { size: 5, alpha: 1e-4, beta: 0.75, bias: { float: 1 } },
  { size: 7, alpha: { float: 2 }, beta: 0.6, bias: 0.5 },
  { size: 3 },
]) {
  test(`litecnn vs ORT: conv -> relu -> LRN ${JSON.stringify(lrn).replace(/\{"float":(\w+)\}/g, '$1')} -> maxpool (opset 9)`, async () => {
    const spec = {
      opset: 9,
      inputs: [{ name: 'x', dims: LRN_X_DIMS }],
      outputs: [{ name: 'y', dims: null }],
      initializers: [
        { name: 'w', dims: [LRN_C, 3, 5, 5], values: Array.from(uniform(4, LRN_C * 75, -0.3, 0.3)) },
        { name: 'b', dims: [LRN_C], values: Array.from(uniform(5, LRN_C, -0.1, 0.3)) },
      ],
      nodes: [
        { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attributes: { strides: [2, 2] } },
        { op: 'Relu', inputs: ['c'], outputs: ['r'] },
        { op: 'LRN', inputs: ['r'], outputs: ['n'], attributes: lrn },
        { op: 'MaxPool', inputs: ['n'], outputs: ['y'], attributes: { kernel_shape: [3, 3], strides: [2, 2] } },
      ],
    };
    await compare('LRN', spec, uniform(6, size(LRN_X_DIMS), 0, 4), LRN_X_DIMS);
  });
}

// InstanceNormalization after a conv (NHWC inside litecnn) and on a plain 3-D input.
for (const opset of [6, 13]) {
  test(`litecnn vs ORT: conv -> InstanceNormalization (opset ${opset})`, async () => {
    const spec = afterConv(opset, [
      { op: 'InstanceNormalization', inputs: ['c', 's', 'bias'], outputs: ['y'], attributes: { epsilon: 1e-3 } },
    ], [
      { name: 's', dims: [C], values: Array.from(uniform(7, C, 0.5, 2)) },
      { name: 'bias', dims: [C], values: Array.from(uniform(8, C, -1, 1)) },
    ]);
    await compare('InstanceNormalization', spec, X, X_DIMS);
  });
}

test('litecnn vs ORT: InstanceNormalization of a [2, 5, 19] input', async () => {
  const dims = [2, 5, 19];
  const spec = {
    opset: 13,
    inputs: [{ name: 'x', dims }],
    outputs: [{ name: 'y', dims }],
    initializers: [
      { name: 's', dims: [5], values: Array.from(uniform(9, 5, 0.5, 2)) },
      { name: 'bias', dims: [5], values: Array.from(uniform(10, 5, -1, 1)) },
    ],
    nodes: [{ op: 'InstanceNormalization', inputs: ['x', 's', 'bias'], outputs: ['y'] }],
  };
  await compare('InstanceNormalization 3-D', spec, uniform(11, size(dims), -3, 5), dims);
});

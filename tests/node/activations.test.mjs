// The elementwise ops of the activations issue in litecnn and in onnxruntime-web (wasm backend,
// one thread) on the same seeded inputs: each activation and math op on its own, LeakyRelu and
// per-channel PRelu after a conv (where litecnn fuses them into it), Gelu in both modes, and
// Sum / Mean / Max / Min over three broadcast inputs, plain and after a conv (NHWC inside
// litecnn). Every element must agree to within 1e-4 relative (plus 1e-6 absolute, for outputs
// near 0); NaN where ORT has NaN.
import { test } from 'node:test';

import { init } from '../../web/src/node.js';
import { encodeModel } from './onnx_encode.mjs';
import { compareY, size, uniform } from './ort_compare.mjs';

await init();

const OPSET = 20;  // Gelu's

// Runs the model in both with these graph inputs ({name: {data, dims}}); compares output y.
const compare = (what, modelSpec, feeds) =>
  compareY(what, encodeModel({ opset: OPSET, ...modelSpec }), feeds, { rel: 1e-4, abs: 1e-6 });

// ---- each op on its own, on [2, 3, 5, 7] -------------------------------------------------------

const DIMS = [2, 3, 5, 7];
// Values over [-8, 8] (both sides of every knee, tanh and Elu near saturation) and a few large
// magnitudes and exact zeros mixed in.
function activationInput(seed, lo = -8, hi = 8) {
  const x = uniform(seed, size(DIMS), lo, hi);
  if (lo < 0) [-30, -0, 0, 25, -1e-3, 1e-3].forEach((v, i) => (x[i * 17] = v));
  return x;
}

const unary = [
  { op: 'LeakyRelu', attributes: { alpha: 0.1 } },
  { op: 'LeakyRelu' },
  { op: 'Elu', attributes: { alpha: 0.7 } },
  { op: 'Selu' },
  { op: 'Tanh' },
  { op: 'Abs' },
  { op: 'Neg' },
  { op: 'Exp', lo: -20, hi: 20 },
  { op: 'Log', lo: 1e-3, hi: 50 },
  { op: 'Sqrt', lo: 0, hi: 50 },
  { op: 'Reciprocal', lo: 0.01, hi: 5 },
  { op: 'Floor' },
  { op: 'Ceil' },
  { op: 'Softplus', lo: -30, hi: 30 },
  { op: 'Softsign' },
  { op: 'Erf', lo: -4, hi: 4 },
  { op: 'Gelu', name: 'Gelu (approximate none)' },
  { op: 'Gelu', name: 'Gelu (approximate tanh)', attributes: { approximate: 'tanh' } },
];

unary.forEach((c, k) => {
  const name = c.name ?? `${c.op}${c.attributes ? ' ' + JSON.stringify(c.attributes) : ''}`;
  test(`litecnn vs ORT: ${name}`, async () => {
    await compare(name, {
      inputs: [{ name: 'x', dims: DIMS }],
      outputs: [{ name: 'y', dims: DIMS }],
      nodes: [{ op: c.op, inputs: ['x'], outputs: ['y'], attributes: c.attributes }],
    }, { x: { data: activationInput(100 + k, c.lo, c.hi), dims: DIMS } });
  });
});

// PRelu on its own: per channel ([3, 1, 1]), along the last axis ([7]), one slope ([1]).
for (const [form, slopeDims] of [['per-channel', [3, 1, 1]], ['last-axis', [7]], ['one slope', [1]]]) {
  test(`litecnn vs ORT: PRelu ${form} slope ${JSON.stringify(slopeDims)}`, async () => {
    await compare(`PRelu ${form}`, {
      inputs: [{ name: 'x', dims: DIMS }],
      outputs: [{ name: 'y', dims: DIMS }],
      initializers: [
        { name: 's', dims: slopeDims, values: Array.from(uniform(3, size(slopeDims), -0.5, 1.5)) },
      ],
      nodes: [{ op: 'PRelu', inputs: ['x', 's'], outputs: ['y'] }],
    }, { x: { data: activationInput(9), dims: DIMS } });
  });
}

// ---- fused after a conv: x [1, 3, 13, 11] -> 3x3 conv (pad 1) to 17 channels -> activation ----

const X_DIMS = [1, 3, 13, 11], C = 17, Y_DIMS = [1, C, 13, 11];
const convInit = [
  { name: 'w', dims: [C, 3, 3, 3], values: Array.from(uniform(1, C * 27, -0.5, 0.5)) },
  { name: 'b', dims: [C], values: Array.from(uniform(2, C, -0.2, 0.2)) },
];
const conv = { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attributes: { pads: [1, 1, 1, 1] } };

const fused = [
  { name: 'LeakyRelu alpha 0.2', node: { op: 'LeakyRelu', inputs: ['c'], attributes: { alpha: 0.2 } } },
  { name: 'PRelu slope [C, 1, 1]', slope: [C, 1, 1] },
  { name: 'PRelu slope [1, C, 1, 1]', slope: [1, C, 1, 1] },
  { name: 'PRelu one slope', slope: [1] },
];

for (const f of fused) {
  test(`litecnn vs ORT: Conv then ${f.name}`, async () => {
    const initializers = [...convInit];
    let node = f.node;
    if (f.slope) {
      initializers.push({ name: 's', dims: f.slope, values: Array.from(uniform(4, size(f.slope), -1, 1)) });
      node = { op: 'PRelu', inputs: ['c', 's'] };
    }
    await compare(`Conv + ${f.name}`, {
      inputs: [{ name: 'x', dims: X_DIMS }],
      outputs: [{ name: 'y', dims: Y_DIMS }],
      initializers,
      nodes: [conv, { ...node, outputs: ['y'] }],
    }, { x: { data: uniform(5, size(X_DIMS), -2, 2), dims: X_DIMS } });
  });
}

// ---- Sum, Mean, Max, Min over three inputs, broadcast ------------------------------------------

for (const op of ['Sum', 'Mean', 'Max', 'Min']) {
  test(`litecnn vs ORT: ${op} of [2, 3, 4, 5], [3, 1, 5], [4, 1]`, async () => {
    const dims = [[2, 3, 4, 5], [3, 1, 5], [4, 1]];
    await compare(op, {
      inputs: dims.map((d, i) => ({ name: `a${i}`, dims: d })),
      outputs: [{ name: 'y', dims: dims[0] }],
      nodes: [{ op, inputs: ['a0', 'a1', 'a2'], outputs: ['y'] }],
    }, Object.fromEntries(dims.map((d, i) => [`a${i}`, { data: uniform(20 + i, size(d), -3, 3), dims: d }])));
  });

  // The conv's output is NHWC inside litecnn; the other two are plain [C, 1, 1] and [W] values.
  test(`litecnn vs ORT: ${op} of a conv output, [C, 1, 1] and [W]`, async () => {
    await compare(`Conv + ${op}`, {
      inputs: [{ name: 'x', dims: X_DIMS }],
      outputs: [{ name: 'y', dims: Y_DIMS }],
      initializers: [
        ...convInit,
        { name: 'p', dims: [C, 1, 1], values: Array.from(uniform(6, C, -1, 1)) },
        { name: 'q', dims: [11], values: Array.from(uniform(7, 11, -1, 1)) },
      ],
      nodes: [conv, { op, inputs: ['c', 'p', 'q'], outputs: ['y'] }],
    }, { x: { data: uniform(8, size(X_DIMS), -2, 2), dims: X_DIMS } });
  });
}

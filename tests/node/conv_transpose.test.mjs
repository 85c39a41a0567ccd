// ConvTranspose in litecnn (the default build) and in onnxruntime-web (wasm backend, one thread)
// on the same seeded input and weights, for the decoder shapes exporters emit and each attribute
// litecnn resolves: outputs must agree to within 1e-4 * max |ORT output|. (The one rule where
// ORT departs from ONNX's spec, an odd total padding with output_shape and no SAME mode, is
// left out: ops/conv_transpose.cc says which rule litecnn follows.)
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { init } from '../../web/src/node.js';
import { encodeModel } from './onnx_encode.mjs';
import { assertWithinScale, runBoth, size, symmetric as uniform } from './ort_compare.mjs';

await init();

// x [1, c, h, w] -> ConvTranspose(w [c, m / group, k, k], bias) -> (optional BN, Relu).
function model({ c, h, w, m, k, group = 1, attributes, bnRelu = false, opset = 13 }) {
  const initializers = [
    { name: 'w', dims: [c, m / group, k, k], values: uniform(1, c * (m / group) * k * k, 0.3) },
    { name: 'b', dims: [m], values: uniform(2, m, 0.5) },
  ];
  const nodes = [{ op: 'ConvTranspose', inputs: ['x', 'w', 'b'], outputs: [bnRelu ? 't' : 'y'],
                   attributes: { ...attributes, ...(group > 1 ? { group } : {}) } }];
  if (bnRelu) {
    initializers.push(
      { name: 'scale', dims: [m], values: uniform(3, m, 1.5) },
      { name: 'shift', dims: [m], values: uniform(4, m, 0.5) },
      { name: 'mean', dims: [m], values: uniform(5, m, 0.5) },
      { name: 'var', dims: [m], values: uniform(6, m, 0.5).map((v) => v + 1) });
    nodes.push(
      { op: 'BatchNormalization', inputs: ['t', 'scale', 'shift', 'mean', 'var'], outputs: ['n'] },
      { op: 'Relu', inputs: ['n'], outputs: ['y'] });
  }
  return {
    bytes: encodeModel({
      inputs: [{ name: 'x', dims: [1, c, h, w] }],
      outputs: [{ name: 'y', dims: ['n', 'c', 'h', 'w'] }],
      initializers, nodes, opset,
    }),
    dims: [1, c, h, w],
  };
}

const cases = [
  { name: 'stride 2 k4 p1 (DCGAN / decoder block)', c: 16, h: 7, w: 9, m: 8, k: 4,
    attributes: { strides: [2, 2], pads: [1, 1, 1, 1] } },
  { name: 'stride 2 k3 p1 output_padding 1', c: 12, h: 6, w: 5, m: 10, k: 3,
    attributes: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] } },
  { name: 'groups=2', c: 8, h: 6, w: 7, m: 12, k: 3, group: 2,
    attributes: { strides: [2, 2], pads: [1, 1, 1, 1] } },
  { name: 'depthwise stride 2', c: 17, h: 6, w: 5, m: 17, k: 4, group: 17,
    attributes: { strides: [2, 2], pads: [1, 1, 1, 1] } },
  { name: 'dilation 2', c: 6, h: 5, w: 6, m: 5, k: 3,
    attributes: { dilations: [2, 2], strides: [2, 2], pads: [1, 2, 0, 1] } },
  { name: 'auto_pad SAME_UPPER', c: 5, h: 5, w: 4, m: 7, k: 3, opset: 11,
    attributes: { auto_pad: 'SAME_UPPER', strides: [2, 2] } },
  { name: 'output_shape', c: 6, h: 5, w: 5, m: 4, k: 4,
    attributes: { strides: [2, 2], output_shape: [10, 10] } },
  { name: 'fused BN + Relu after it', c: 16, h: 8, w: 8, m: 8, k: 4, bnRelu: true,
    attributes: { strides: [2, 2], pads: [1, 1, 1, 1] } },
];

for (const c of cases) {
  test(`litecnn vs ORT: ${c.name}`, async () => {
    const { bytes, dims } = model(c);
    const input = Float32Array.from(uniform(7, size(dims)));
    const { got, ref } = await runBoth(bytes, { x: { data: input, dims } });
    assert.deepEqual(got.y.dims, Array.from(ref.y.dims));
    assertWithinScale(got.y.data, ref.y.data);
  });
}

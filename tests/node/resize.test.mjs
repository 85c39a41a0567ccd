// Resize in a small CNN (conv -> Resize -> conv, the shape of segmentation decoders and FPNs)
// in litecnn and in onnxruntime-web (wasm backend, one thread) on the same seeded input, for
// each mode litecnn implements and the coordinate modes exporters emit: outputs must agree to
// within 1e-4 * max |ORT output|.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { init } from '../../web/src/node.js';
import { encodeModel } from './onnx_encode.mjs';
import { assertWithinScale, runBoth, size, symmetric as uniform } from './ort_compare.mjs';

// The SIMD build, the one the page gets (its kernels are the ones under test).
await init({ backend: 'simd' });


// x [1, 3, h, w] -> 3x3 conv to 8 channels -> Resize -> 1x1 conv to 5 channels.
function model({ h, w, scales, attributes }) {
  const oh = Math.floor(h * scales[0]), ow = Math.floor(w * scales[1]);
  return {
    bytes: encodeModel({
      inputs: [{ name: 'x', dims: [1, 3, h, w] }],
      outputs: [{ name: 'y', dims: [1, 5, oh, ow] }],
      initializers: [
        { name: 'w1', dims: [8, 3, 3, 3], values: Array.from(uniform(1, 8 * 27, 0.3)) },
        { name: 'w2', dims: [5, 8, 1, 1], values: Array.from(uniform(2, 40, 0.3)) },
        { name: 'roi', dims: [0], values: [] },
        { name: 'scales', dims: [4], values: [1, 1, ...scales] },
      ],
      nodes: [
        { op: 'Conv', inputs: ['x', 'w1'], outputs: ['a'], attributes: { pads: [1, 1, 1, 1] } },
        { op: 'Resize', inputs: ['a', 'roi', 'scales'], outputs: ['b'], attributes },
        { op: 'Conv', inputs: ['b', 'w2'], outputs: ['y'] },
      ],
    }),
    dims: [1, 3, h, w],
  };
}

const cases = [
  { name: 'bilinear x2 half_pixel', h: 14, w: 18, scales: [2, 2],
    attributes: { mode: 'linear', coordinate_transformation_mode: 'half_pixel' } },
  { name: 'bilinear x2 align_corners', h: 13, w: 9, scales: [2, 2],
    attributes: { mode: 'linear', coordinate_transformation_mode: 'align_corners' } },
  { name: 'bilinear x0.5 pytorch_half_pixel', h: 16, w: 20, scales: [0.5, 0.5],
    attributes: { mode: 'linear', coordinate_transformation_mode: 'pytorch_half_pixel' } },
  { name: 'bilinear x3 asymmetric', h: 7, w: 5, scales: [3, 3],
    attributes: { mode: 'linear', coordinate_transformation_mode: 'asymmetric' } },
  { name: 'nearest x2 asymmetric floor', h: 10, w: 12, scales: [2, 2],
    attributes: { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' } },
  { name: 'nearest x1.5 half_pixel round_prefer_floor', h: 10, w: 12, scales: [1.5, 1.5],
    attributes: { mode: 'nearest', coordinate_transformation_mode: 'half_pixel' } },
  { name: 'bicubic x2 half_pixel', h: 9, w: 11, scales: [2, 2],
    attributes: { mode: 'cubic', coordinate_transformation_mode: 'half_pixel' } },
];

for (const c of cases) {
  test(`litecnn vs ORT: ${c.name}`, async () => {
    const { bytes, dims } = model(c);
    const input = uniform(7, size(dims));
    const { got, ref } = await runBoth(bytes, { x: { data: input, dims } });
    assert.deepEqual(got.y.dims, Array.from(ref.y.dims));
    assertWithinScale(got.y.data, ref.y.data);
  });
}

// Graph-level forms that exporters and older ONNX files use (ONNX breadth issue, item 3), each
// run in litecnn and in onnxruntime-web (wasm, one thread) on the same seeded inputs: initializers
// listed as graph inputs (IR 3) and fed ones (IR 4), optional inputs given as empty names, unused node
// outputs, graph outputs that are initializers or graph inputs, outputs without a shape, and
// symbolic dims. Outputs must agree to within 1e-5 * max |ORT output| (these graphs are small).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ort from 'onnxruntime-web';

import { LitecnnError, Tensor, init, loadModel } from '../../web/src/node.js';
import { encodeModel } from './onnx_encode.mjs';
import { maxAbs, maxAbsDiff, mulberry32 } from './model_helpers.mjs';

await init({ backend: 'simd' });
ort.env.wasm.numThreads = 1;

const uniform = (seed, n, scale = 1) => {
  const next = mulberry32(seed);
  return Array.from({ length: n }, () => (next() / 2 ** 32 * 2 - 1) * scale);
};
const count = (dims) => dims.reduce((a, b) => a * b, 1);

// Runs both runtimes on feeds {name: {data, dims}}; returns [litecnn outputs, ORT outputs,
// litecnn's input names]. ortBytes: the model ORT runs, when it must differ.
async function runBoth(bytes, feeds, loadOptions = {}, ortBytes = bytes) {
  const session = await ort.InferenceSession.create(ortBytes, { executionProviders: ['wasm'] });
  const ortFeeds = {};
  const ours = {};
  for (const [name, { data, dims }] of Object.entries(feeds)) {
    ortFeeds[name] = new ort.Tensor('float32', Float32Array.from(data), dims);
    ours[name] = new Tensor(Float32Array.from(data), dims);
  }
  const ref = await session.run(ortFeeds);
  const model = await loadModel(bytes, loadOptions);
  try {
    return [await model.run(ours), ref, model.inputs.map((i) => i.name)];
  } finally {
    model.dispose();
  }
}

function assertSameOutputs(out, ref) {
  assert.deepEqual(Object.keys(out).sort(), Object.keys(ref).sort());
  for (const name of Object.keys(ref)) {
    assert.deepEqual(out[name].dims, Array.from(ref[name].dims), `dims of ${name}`);
    const scale = Math.max(maxAbs(ref[name].data), 1e-30);
    const diff = maxAbsDiff(out[name].data, ref[name].data);
    assert.ok(diff <= 1e-5 * scale, `${name}: max |diff| ${diff}, max |ORT| ${scale}`);
  }
}

// x [1, 3, 6, 6] -> Conv(w, b) 3x3 pad 1 -> Relu -> Mul(s) -> y, with w, b (and s) initializers
// that an IR 3 exporter also lists as graph inputs. From IR 4 on, ONNX makes such an input's
// initializer a default value the caller may override.
function ir3Model({ scaleIsInput = true, scaleInitializer = true, irVersion = 3 } = {}) {
  const inputs = [
    { name: 'x', dims: [1, 3, 6, 6] },
    { name: 'w', dims: [4, 3, 3, 3] },
    { name: 'b', dims: [4] },
  ];
  if (scaleIsInput) inputs.push({ name: 's', dims: [1, 4, 1, 1] });
  return encodeModel({
    irVersion,
    opset: 9,
    inputs,
    outputs: [{ name: 'y', dims: [1, 4, 6, 6] }],
    initializers: [
      { name: 'w', dims: [4, 3, 3, 3], values: uniform(1, 108, 0.5) },
      { name: 'b', dims: [4], values: uniform(2, 4) },
      ...(scaleInitializer ? [{ name: 's', dims: [1, 4, 1, 1], values: [0.5, 2, -1, 3] }] : []),
    ],
    nodes: [
      { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attributes: { pads: [1, 1, 1, 1] } },
      { op: 'Relu', inputs: ['c'], outputs: ['r'] },
      { op: 'Mul', inputs: ['r', 's'], outputs: ['y'] },
    ],
  });
}
const x6 = { data: uniform(3, 108), dims: [1, 3, 6, 6] };

test('IR 3: initializers listed as graph inputs are constants', async () => {
  const [out, ref, inputNames] = await runBoth(ir3Model(), { x: x6 });
  assert.deepEqual(inputNames, ['x']);
  assertSameOutputs(out, ref);
});

// onnxruntime-web cannot feed an initializer input (its run() takes session.inputNames only):
// its reference is the same graph with s a plain input.
test('IR 4: an initializer input named in feedInitializers is fed: as if it had no initializer', async () => {
  const s = { data: [-2, 0.25, 1.5, 4], dims: [1, 4, 1, 1] };
  const [out, ref, inputNames] = await runBoth(ir3Model({ irVersion: 4 }), { x: x6, s },
    { feedInitializers: ['s'] }, ir3Model({ irVersion: 4, scaleInitializer: false }));
  assert.deepEqual(inputNames, ['x', 's']);
  assertSameOutputs(out, ref);
});

test('IR 3: feeding an initializer input without feedInitializers names the option', async () => {
  const model = await loadModel(ir3Model());
  try {
    await assert.rejects(
      model.run({ x: new Tensor(Float32Array.from(x6.data), x6.dims), s: new Tensor(new Float32Array(4), [1, 4, 1, 1]) }),
      (e) => e instanceof LitecnnError && e.code === 'InvalidArgument' &&
        /input "s" has an initializer/.test(e.message) && /feedInitializers: \["s"\]/.test(e.message),
    );
  } finally {
    model.dispose();
  }
});

test('feedInitializers: names that cannot be fed are refused at load, each with its reason', async () => {
  const cases = [
    [{ feedInitializers: ['nope'] }, /initializer to feed 'nope' is not in the model/],
    [{ feedInitializers: ['x'] }, /input 'x' has no initializer/],
    [{ feedInitializers: 'w' }, /options.feedInitializers must be an array of input names/],
  ];
  for (const [options, message] of cases) {
    await assert.rejects(loadModel(ir3Model(), options), (e) => e instanceof LitecnnError && message.test(e.message));
  }
  await assert.rejects(
    loadModel(ir3Model({ scaleIsInput: false }), { feedInitializers: ['s'] }),
    /initializer 's' cannot be fed: the graph does not list it as an input/,
  );
});

test('optional inputs given as empty names (Clip without min, Resize without roi)', async () => {
  const bytes = encodeModel({
    opset: 13,
    inputs: [{ name: 'x', dims: [1, 2, 4, 5] }],
    outputs: [{ name: 'y', dims: [1, 2, 8, 10] }],
    initializers: [
      { name: 'max', dims: [], values: [0.3] },
      { name: 'scales', dims: [4], values: [1, 1, 2, 2] },
    ],
    nodes: [
      { op: 'Clip', inputs: ['x', '', 'max'], outputs: ['c'] },
      { op: 'Resize', inputs: ['c', '', 'scales'], outputs: ['y'], attributes: { mode: 'linear' } },
    ],
  });
  const [out, ref] = await runBoth(bytes, { x: { data: uniform(4, 40), dims: [1, 2, 4, 5] } });
  assertSameOutputs(out, ref);
});

test("an unused node output (Dropout's mask) is computed by neither", async () => {
  const bytes = encodeModel({
    opset: 12,
    inputs: [{ name: 'x', dims: [2, 7] }],
    outputs: [{ name: 'y', dims: [2, 7] }],
    nodes: [
      { op: 'Dropout', inputs: ['x'], outputs: ['d', 'mask'] },
      { op: 'Sigmoid', inputs: ['d'], outputs: ['y'] },
    ],
  });
  const [out, ref] = await runBoth(bytes, { x: { data: uniform(5, 14, 3), dims: [2, 7] } });
  assertSameOutputs(out, ref);
});

test('graph outputs that are a graph input and an initializer', async () => {
  const bytes = encodeModel({
    inputs: [{ name: 'x', dims: [3, 4] }],
    outputs: [
      { name: 'x', dims: [3, 4] },
      { name: 'k', dims: [4] },
      { name: 'y', dims: [3, 4] },
    ],
    initializers: [{ name: 'k', dims: [4], values: [1, -2, 3, -4] }],
    nodes: [{ op: 'Add', inputs: ['x', 'k'], outputs: ['y'] }],
  });
  const [out, ref] = await runBoth(bytes, { x: { data: uniform(6, 12), dims: [3, 4] } });
  assertSameOutputs(out, ref);
});

test('outputs without a shape and no value_info: shapes come from inference', async () => {
  const bytes = encodeModel({
    inputs: [{ name: 'x', dims: [1, 3, 7, 9] }],
    outputs: [{ name: 'y', dims: null }],
    initializers: [{ name: 'w', dims: [2, 3, 3, 3], values: uniform(7, 54, 0.4) }],
    nodes: [
      { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], attributes: { strides: [2, 2] } },
      { op: 'MaxPool', inputs: ['c'], outputs: ['y'], attributes: { kernel_shape: [2, 2] } },
    ],
  });
  const [out, ref] = await runBoth(bytes, { x: { data: uniform(8, 189), dims: [1, 3, 7, 9] } });
  assertSameOutputs(out, ref);
  assert.deepEqual(out.y.dims, [1, 2, 2, 3]);
});

test('symbolic dims: fixed by inputDims at load, as ORT takes them from the feed', async () => {
  const dims = [2, 3, 9, 7];
  const bytes = encodeModel({
    inputs: [{ name: 'x', dims: ['N', 3, 'H', 'W'] }],
    outputs: [{ name: 'y', dims: ['N', 4, 'H', 'W'] }],
    initializers: [{ name: 'w', dims: [4, 3, 3, 3], values: uniform(9, 108, 0.4) }],
    nodes: [
      { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], attributes: { pads: [1, 1, 1, 1] } },
      { op: 'GlobalAveragePool', inputs: ['c'], outputs: ['g'] },
      { op: 'Sub', inputs: ['c', 'g'], outputs: ['y'] },
    ],
  });
  const [out, ref] = await runBoth(bytes, { x: { data: uniform(10, count(dims)), dims } }, { inputDims: { x: dims } });
  assertSameOutputs(out, ref);
});
